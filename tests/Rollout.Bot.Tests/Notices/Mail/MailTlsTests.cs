using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Rollout.Bot.Notices;
using Rollout.Bot.Notices.Mail;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Rollout.Bot.Tests.Notices.Mail;

/// <summary>
/// The bridge against an SMTP server that speaks STARTTLS and requires AUTH on the loopback (SmtpServer, with a
/// self-signed certificate made here): what MailKit's TLS and authentication options do against a real server.
/// </summary>
public sealed class MailTlsTests : IDisposable
{
    private const string Address = "ops-team@lists.example.org";
    private readonly int _port = FreePort();
    private readonly X509Certificate2 _certificate = SelfSigned();
    private readonly Store _store = new();
    private readonly CancellationTokenSource _stop = new();
    private NoticesApp? _app;

    public MailTlsTests()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, _port)).IsSecure(false).Certificate(_certificate)
                .AuthenticationRequired(true).AllowUnsecureAuthentication(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new DelegatingUserAuthenticator((user, password) => user == "rollout" && password == "s3cret"));
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    private string Pin => _certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private NoticesApp Start(string password, string? pin) => _app = new NoticesApp(settings: new()
    {
        ["Mail:Host"] = "localhost", ["Mail:Port"] = _port.ToString(), ["Mail:Security"] = "StartTls",
        ["Mail:Username"] = "rollout", ["Mail:Password"] = password, ["Mail:TrustedCertificateThumbprint"] = pin,
        ["Mail:From"] = "Rollout.Bot <rollout-bot@egi.example>", ["Notices:MaxAttempts"] = "2", ["Notices:BaseBackoff"] = "00:00:00.050",
    });

    private static async Task QueueAsync(NoticesApp app)
    {
        Assert.Contains("now gets", await app.SayAsync($"/mail bind operations address={Address} list=yes"));
        await app.AddAsync(("bulletin:2026-03-02", NoticeRecipient.Channel("operations"), "**Bulletin** for the operations meeting"));
    }

    private static async Task<Notice> ParkedAsync(NoticesApp app)
    {
        await app.UntilAsync(async () =>
        {
            await using var db = await app.DbAsync();
            return await db.Notices.AnyAsync(n => n.Recipient == "mail:" + Address && n.State == NoticeState.Parked);
        }, "the e-mail is parked");
        await using var db = await app.DbAsync();
        return await db.Notices.AsNoTracking().SingleAsync(n => n.Recipient == "mail:" + Address);
    }

    [Fact]
    public async Task StartTlsAndAuth_WithThePinnedSelfSignedCertificate_DeliversTheMail()
    {
        var app = Start("s3cret", string.Join(':', Enumerable.Range(0, 32).Select(i => Pin.Substring(2 * i, 2).ToLowerInvariant())));
        await QueueAsync(app);
        await app.UntilAsync(() => Task.FromResult(!_store.Received.IsEmpty), "the e-mail reached the SMTP server");
        var (mail, secure, user) = Assert.Single(_store.Received);
        Assert.True(secure, "the message came over STARTTLS");
        Assert.Equal("rollout", user);
        Assert.Equal(Address, ((MailboxAddress)mail.To.Single()).Address);
        Assert.Contains("Bulletin for the operations meeting", mail.TextBody);
    }

    [Fact]
    public async Task AWrongPassword_ParksTheNotice_AndOutboxSaysAuthenticationFailed()
    {
        var app = Start("wrong", Pin);
        await QueueAsync(app);
        var parked = await ParkedAsync(app);
        Assert.Contains("SMTP authentication failed (Mail:Username/Mail:Password)", parked.LastError);
        var outbox = await app.SayAsync("/outbox");
        Assert.Contains($"e-mail {Address}", outbox);
        Assert.Contains("SMTP authentication failed", outbox);
        Assert.Empty(_store.Received);
    }

    [Fact]
    public async Task AnUntrustedCertificateWithoutThePin_IsRefused_NamingTheFingerprintToPin()
    {
        var app = Start("s3cret", pin: null);
        await QueueAsync(app);
        var parked = await ParkedAsync(app);
        Assert.Contains("presented a certificate that is not trusted", parked.LastError);
        Assert.Contains($"Mail:TrustedCertificateThumbprint={Pin}", parked.LastError);
        Assert.Contains("not trusted", await app.SayAsync("/outbox"));
        Assert.Empty(_store.Received);
    }

    [Fact]
    public async Task AnotherPin_RefusesTheServersCertificate()
    {
        var app = Start("s3cret", new string('A', 64));
        await QueueAsync(app);
        Assert.Contains("is not the one Mail:TrustedCertificateThumbprint pins", (await ParkedAsync(app)).LastError);
        Assert.Empty(_store.Received);
    }

    [Theory]
    [InlineData("None", "ab12", "64 hex digits")]
    [InlineData("None", "", null)]
    public void APinThatIsNoSha256_StopsTheBotNamingTheKey(string security, string pin, string? problem)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions
        {
            Host = "localhost", From = "bot@example.org", Security = Enum.Parse<MailSecurity>(security), TrustedCertificateThumbprint = pin,
        });
        if (problem is null) Assert.True(result.Succeeded);
        else Assert.Contains(problem, result.FailureMessage);
        if (problem is not null) Assert.Contains("Mail:TrustedCertificateThumbprint", result.FailureMessage);
    }

    [Fact]
    public void APinWithoutTls_StopsTheBot()
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions
        {
            Host = "localhost", From = "bot@example.org", Security = MailSecurity.None, TrustedCertificateThumbprint = new string('a', 64),
        });
        Assert.Contains("Mail:TrustedCertificateThumbprint pins a TLS certificate", result.FailureMessage);
    }

    /// <summary>What reached the server: the message, whether the session was under TLS, and who had authenticated.</summary>
    private sealed class Store : IMessageStore
    {
        public ConcurrentQueue<(MimeMessage Mail, bool Secure, string? User)> Received { get; } = new();

        public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            Received.Enqueue((MimeMessage.Load(new MemoryStream(buffer.ToArray())), context.Pipe.IsSecure, context.Authentication.User));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    public void Dispose()
    {
        _app?.Dispose();
        _stop.Cancel();
        _certificate.Dispose();
    }
}
