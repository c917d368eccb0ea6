using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Rollout.Bot.Notices.Mail;

/// <summary>A failed send, told apart the way the outbox needs: worth retrying, or refused for good (then parked).</summary>
public sealed class MailFailure(string message, bool transient, Exception inner) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}

/// <summary>Sends one message over SMTP with MailKit: STARTTLS or TLS and authentication as configured, one connection per send.</summary>
public sealed class MailSender(IOptions<MailOptions> options)
{
    public bool Enabled => options.Value.Enabled;

    public MailOptions Options => options.Value;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var smtp = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        var certificate = new CertificateCheck(o.Pin);
        smtp.ServerCertificateValidationCallback = certificate.Validate;
        try
        {
            var security = o.Security switch
            {
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                MailSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await smtp.ConnectAsync(o.Host!, o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.Username)) await smtp.AuthenticateAsync(o.Username, o.Password ?? "", ct);
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx: the server will not take it (unknown list, refused sender); 4xx: try again later.
            var permanent = (int)ex.StatusCode >= 500;
            throw new MailFailure($"SMTP {(int)ex.StatusCode}: {ex.Message}", !permanent, ex);
        }
        catch (AuthenticationException ex)
        {
            throw new MailFailure($"SMTP authentication failed (Mail:Username/Mail:Password): {ex.Message}", transient: false, ex);
        }
        catch (SslHandshakeException ex) when (certificate.Refusal is { } refusal)
        {
            // Retrying gives the same certificate the same answer: parked at once, saying what to do.
            throw new MailFailure($"SMTP server {o.Host}:{o.Port}: {refusal}", transient: false, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException
            or SslHandshakeException or TimeoutException)
        {
            throw new MailFailure($"SMTP server {o.Host}:{o.Port}: {ex.Message}", transient: true, ex);
        }
    }
}

/// <summary>
/// The server certificate's check: the platform's validation, or, when <c>Mail:TrustedCertificateThumbprint</c> is set,
/// that pin alone. Keeps why it refused, with the certificate's fingerprint, so the operator can act on it.
/// </summary>
internal sealed class CertificateCheck(string? pin)
{
    public string? Refusal { get; private set; }

    public bool Validate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = "presented no certificate";
            return false;
        }
        var thumbprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()));
        if (pin is not null)
        {
            if (thumbprint == pin) return true;
            Refusal = $"presented a certificate (SHA-256 {thumbprint}) that is not the one Mail:TrustedCertificateThumbprint pins ({pin}); " +
                "if the server's certificate was renewed, pin the new one";
            return false;
        }
        if (errors == System.Net.Security.SslPolicyErrors.None) return true;
        Refusal = $"presented a certificate that is not trusted ({errors}; subject {certificate.Subject}, SHA-256 {thumbprint}): have it " +
            $"signed by an authority this machine trusts, or trust this one explicitly with Mail:TrustedCertificateThumbprint={thumbprint}";
        return false;
    }
}
