using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using netDumbster.smtp;
using Rollout.Bot.Notices;
using Rollout.Bot.Notices.Mail;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tests.Notices.Mail;

/// <summary>
/// The e-mail bridge against a real SMTP server on the loopback (netDumbster speaks SMTP over TCP; MailKit talks to it
/// as to any relay), reading back what arrived as MIME.
/// </summary>
public sealed class MailBridgeTests : IDisposable
{
    private const string List = "early-adopters-glite@lists.example.org";
    private readonly int _port = FreePort();
    private SimpleSmtpServer? _smtp;
    private readonly NoticesApp _app;

    public MailBridgeTests()
    {
        _smtp = SimpleSmtpServer.Start(_port);
        _app = new NoticesApp(settings: new()
        {
            ["Mail:Host"] = "127.0.0.1", ["Mail:Port"] = _port.ToString(), ["Mail:Security"] = "None",
            ["Mail:From"] = "Rollout.Bot <rollout-bot@egi.example>", ["Notices:MaxAttempts"] = "2", ["Notices:BaseBackoff"] = "00:00:00.050",
        });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonElement Card() => JsonDocument.Parse("""
        {"type":"AdaptiveCard","version":"1.5","body":[
          {"type":"TextBlock","text":"**#7 CREAM 1.16.4** is verified","weight":"Bolder"},
          {"type":"FactSet","facts":[{"title":"Stack","value":"glite"},{"title":"Accept by","value":"Tue 3 Mar 17:00"}]}],
         "actions":[{"type":"Action.OpenUrl","title":"Release notes","url":"https://example.org/cream/1.16.4"}]}
        """).RootElement;

    private async Task<MimeMessage> ArrivedAsync(int count = 1)
    {
        await _app.UntilAsync(() => Task.FromResult(_smtp!.ReceivedEmailCount >= count), $"{count} e-mail(s) reached the SMTP server");
        return MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(_smtp!.ReceivedEmail[count - 1].Data)));
    }

    [Fact]
    public async Task ReleaseNotice_ToABoundList_ArrivesOnceAsReadableMultipartMail_WithAStableMessageId()
    {
        var bound = await _app.SayAsync($"/mail bind early-adopters stack=glite address={List} list=yes");
        Assert.Contains("now gets **early-adopters stack=glite** notices by e-mail", bound);
        var message = BotMessage.WithCard("A release is ready for the early adopters", Card());
        await using (var db = await _app.DbAsync())
        {
            var outbox = _app.Get<Outbox>();
            await outbox.AddAsync(db, "ticket:7:verified", NoticeRecipient.Channel("early-adopters", "glite"), message, "ticket:7");
            await outbox.AddAsync(db, "ticket:7:verified", NoticeRecipient.Channel("early-adopters", "glite"), message, "ticket:7");
            await db.SaveChangesAsync();
        }

        var mail = await ArrivedAsync();
        Assert.Equal(List, ((MailboxAddress)mail.To.Single()).Address);
        Assert.Equal("rollout-bot@egi.example", ((MailboxAddress)mail.From.Single()).Address);
        Assert.Equal(MailComposer.MessageId("ticket:7:verified", List, "egi.example"), mail.MessageId);
        Assert.Equal("[Rollout.Bot] A release is ready for the early adopters", mail.Subject);
        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Contains("#7 CREAM 1.16.4 is verified", mail.TextBody);
        Assert.Contains("Accept by Tue 3 Mar 17:00", mail.TextBody);
        Assert.Contains("Release notes (https://example.org/cream/1.16.4)", mail.TextBody);
        Assert.Contains("<strong>#7 CREAM 1.16.4</strong> is verified", mail.HtmlBody);
        Assert.Contains("<a href=\"https://example.org/cream/1.16.4\">Release notes</a>", mail.HtmlBody);
        Assert.Equal(2, alternative.Count);

        await using var check = await _app.DbAsync();
        var notice = await check.Notices.AsNoTracking().SingleAsync(n => n.Recipient == "mail:" + List);
        Assert.Equal(NoticeState.Sent, notice.State);
        Assert.Equal(1, _smtp!.ReceivedEmailCount);
    }

    [Fact]
    public async Task MailServerDown_RetriesThenParksInOutbox_AndARetrySendsItOnceTheServerIsBack()
    {
        await _app.SayAsync("/mail bind operations address=ops-team@lists.example.org list=yes");
        _smtp!.Stop();
        _smtp = null;
        await _app.AddAsync(("bulletin:2026-03-02", NoticeRecipient.Channel("operations"), "**Bulletin** for the operations meeting"));
        await _app.UntilAsync(async () =>
        {
            await using var db = await _app.DbAsync();
            return await db.Notices.AnyAsync(n => n.Recipient == "mail:ops-team@lists.example.org" && n.State == NoticeState.Parked);
        }, "the e-mail is parked after its attempts");

        var outbox = await _app.SayAsync("/outbox");
        Assert.Contains("e-mail ops-team@lists.example.org", outbox);
        Assert.Contains("SMTP server 127.0.0.1", outbox);

        _smtp = SimpleSmtpServer.Start(_port);
        await using (var db = await _app.DbAsync())
        {
            var id = (await db.Notices.AsNoTracking().SingleAsync(n => n.Recipient == "mail:ops-team@lists.example.org")).Id;
            Assert.Contains("is queued", await _app.SayAsync($"/outbox retry {id}"));
        }
        var mail = await ArrivedAsync();
        Assert.Contains("Bulletin for the operations meeting", mail.TextBody);
    }

    [Fact]
    public async Task SecurityNotices_NeverGoToAList_ButDoGoToAPersonsAddress()
    {
        var refused = await _app.SayAsync("/mail bind security address=security-list@lists.example.org list=yes");
        Assert.Contains("never to a mailing list", refused);
        Assert.Contains("now gets", await _app.SayAsync("/mail bind security address=officer@example.org"));
        await using (var db = await _app.DbAsync())
        {
            // Even a list written into the table by hand is skipped: the rule is checked where notices are queued.
            db.MailBindings.Add(new MailBinding { Purpose = "security", Address = "leaky@lists.example.org", IsList = true, BoundBy = "test" });
            await db.SaveChangesAsync();
        }
        await _app.AddAsync(("ticket:9:security", NoticeRecipient.Channel("security"), "**#9** (restricted) opened"));
        var mail = await ArrivedAsync();
        Assert.Equal("officer@example.org", ((MailboxAddress)mail.To.Single()).Address);
        await using var check = await _app.DbAsync();
        Assert.False(await check.Notices.AnyAsync(n => n.Recipient == "mail:leaky@lists.example.org"));
    }

    [Fact]
    public async Task MailCommand_ChecksWhoAsksAndWhatTheyTyped()
    {
        Assert.Contains("coordinator", await _app.SayAsync($"/mail bind broadcast address={List}", "u-someone", "conv-someone"),
            StringComparison.OrdinalIgnoreCase);
        var bad = await _app.SayAsync("/mail bind early-adopters address=not-an-address");
        Assert.Contains("is not an e-mail address", bad);
        Assert.Contains("add `stack=…`", bad);
        Assert.Contains("No address gets notices yet", await _app.SayAsync("/mail"));
    }

    public void Dispose()
    {
        _app.Dispose();
        _smtp?.Stop();
    }
}
