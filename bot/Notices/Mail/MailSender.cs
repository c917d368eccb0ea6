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
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException
            or SslHandshakeException or TimeoutException)
        {
            throw new MailFailure($"SMTP server {o.Host}:{o.Port}: {ex.Message}", transient: true, ex);
        }
    }
}
