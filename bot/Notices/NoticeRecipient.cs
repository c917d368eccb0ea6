namespace Rollout.Bot.Notices;

/// <summary>
/// Who a notice is for, stored as text in <c>notices.recipient</c>: a bound channel purpose (optionally per stack),
/// a person by chat user id, or one posted copy of a card (for updates). Resolved to a conversation at send time.
/// </summary>
public sealed record NoticeRecipient
{
    private NoticeRecipient(string kind, string value, string stack = "")
    {
        Kind = kind;
        Value = value;
        Stack = stack;
    }

    public string Kind { get; }
    public string Value { get; }
    public string Stack { get; }

    public bool IsChannel => Kind == "channel";
    public bool IsUser => Kind == "user";
    public bool IsCopy => Kind == "copy";
    public bool IsMail => Kind == "mail";

    public static NoticeRecipient Channel(string purpose, string? stack = null)
    {
        var known = NoticePurposes.FindRoutable(purpose) ?? throw new ArgumentException($"'{purpose}' is not a notice purpose.", nameof(purpose));
        var s = stack?.Trim().ToLowerInvariant() ?? "";
        if (NoticePurposes.IsPerStack(known) && s.Length == 0)
            throw new ArgumentException($"Notices to {known} name a stack.", nameof(stack));
        return new NoticeRecipient("channel", known, NoticePurposes.IsPerStack(known) ? s : "");
    }

    public static NoticeRecipient User(string userId) =>
        string.IsNullOrWhiteSpace(userId) ? throw new ArgumentException("A user id is required.", nameof(userId)) : new("user", userId);

    /// <summary>An e-mail address bound to a purpose (<see cref="Mail.MailBinding"/>).</summary>
    public static NoticeRecipient Mail(string address) => new("mail", address.Trim().ToLowerInvariant());

    internal static NoticeRecipient Copy(long postedCardId) => new("copy", postedCardId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => Kind switch
    {
        "channel" when Stack.Length > 0 => $"channel:{Value}/{Stack}",
        _ => $"{Kind}:{Value}",
    };

    public static NoticeRecipient Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0) throw new FormatException($"'{text}' is not a notice recipient.");
        var kind = text[..colon];
        var rest = text[(colon + 1)..];
        return kind switch
        {
            "channel" when rest.IndexOf('/') is var slash and > 0 => new("channel", rest[..slash], rest[(slash + 1)..]),
            "channel" or "user" or "copy" or "mail" => new(kind, rest),
            _ => throw new FormatException($"'{text}' is not a notice recipient."),
        };
    }

    /// <summary>How /outbox names the recipient.</summary>
    public string Describe() => Kind switch
    {
        "channel" => NoticePurposes.Label(Value, Stack) + " channel",
        "user" => "user " + Value,
        "mail" => "e-mail " + Value,
        _ => "card copy " + Value,
    };
}
