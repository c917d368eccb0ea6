using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Notices.Mail;

public enum MailSecurity { StartTls, SslOnConnect, None }

/// <summary>SMTP for the e-mail bridge (<c>Mail:*</c>). Without a host, mail bindings are refused and nothing is sent.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>StartTls (default; the server must offer it), SslOnConnect (port 465), or None (a relay on the loopback only).</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Rollout.Bot &lt;rollout-bot@egi.example&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// The SHA-256 fingerprint of the one certificate the SMTP server may present (hex, colons allowed: what
    /// <c>openssl x509 -noout -fingerprint -sha256</c> prints). Set, it is the trust: a self-signed server is accepted
    /// when its certificate is this one, and any other certificate is refused even when a public authority signed it.
    /// </summary>
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>The pin as 64 upper-case hex digits, or null when none is set.</summary>
    public string? Pin => string.IsNullOrWhiteSpace(TrustedCertificateThumbprint) ? null
        : TrustedCertificateThumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The right-hand side of Message-IDs: the sender's domain.</summary>
    public string Domain => MimeKit.MailboxAddress.TryParse(From, out var from) ? from.Domain : "rollout-bot.invalid";
}

public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions o)
    {
        if (!o.Enabled) return ValidateOptionsResult.Success;
        var problems = new List<string>();
        if (!MimeKit.MailboxAddress.TryParse(o.From, out var from) || !CommandInput.IsEmail(from.Address))
            problems.Add("Mail:From must be an e-mail address (e.g. \"Rollout.Bot <rollout-bot@example.org>\") when Mail:Host is set.");
        if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password))
            problems.Add("Mail:Username and Mail:Password go together: set both (SMTP authentication) or neither.");
        if (o.Security == MailSecurity.None && !string.IsNullOrEmpty(o.Password))
            problems.Add("Mail:Security=None would send Mail:Password in clear: use StartTls or SslOnConnect.");
        if (o.Pin is { } pin && (pin.Length != 64 || !pin.All(Uri.IsHexDigit)))
            problems.Add($"Mail:TrustedCertificateThumbprint must be the certificate's SHA-256 fingerprint, 64 hex digits (colons allowed), " +
                $"not '{o.TrustedCertificateThumbprint}': `openssl x509 -noout -fingerprint -sha256 -in server.pem` prints it.");
        if (o.Pin is not null && o.Security == MailSecurity.None)
            problems.Add("Mail:TrustedCertificateThumbprint pins a TLS certificate, and Mail:Security=None uses no TLS: use StartTls or SslOnConnect.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
