using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Correcting a ticket (issue 13, "mistakes are permanent"): its fields edited, each edit a typed change with old → new;
/// and a ticket opened by mistake cancelled into a terminal state of its own, which is not a reject.
/// </summary>
public sealed partial class Ticket
{
    /// <summary>The fields <c>/ticket edit</c> changes, as <c>/release new</c> names them.</summary>
    public static readonly IReadOnlyList<string> EditableFields =
        ["version", "type", "stack", "os", "arch", "notes", "changelog", "cert", "docs", "bugs", "security"];

    /// <summary>Before verification: the provider's own corrections, and the type and stack (which set the clock and the channel).</summary>
    public bool IsBeforeVerification => State is TicketState.Certified or TicketState.Unverified;

    /// <summary>Ends an open ticket opened by mistake (or withdrawn by its provider): state cancelled, with the reason.</summary>
    public string? Cancel(string reason, Actor by, DateTimeOffset now) => Move(TicketTrigger.Cancel, Facts(hasReason: true), by, now, reason);

    /// <summary>A field as <c>/release new</c> takes it (bugs comma-separated); null when it is not set.</summary>
    public string? FieldValue(string field) => field switch
    {
        "component" => Component,
        "version" => Version,
        "type" => Type.ToName(),
        "stack" => Stack,
        "os" => Os,
        "arch" => Arch,
        "notes" => NotesUrl,
        "changelog" => ChangelogUrl,
        "cert" => CertificationUrl,
        "docs" => DocsUrl,
        "bugs" => BugUrls?.Replace("\n", ", ", StringComparison.Ordinal),
        "security" => SecurityAdvisoryUrl,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a ticket field."),
    };

    /// <summary>Why <paramref name="field"/> cannot take <paramref name="value"/> now, or null when it can.</summary>
    public string? CannotEdit(string field, string? value)
    {
        if (State == TicketState.Cancelled) return $"{Number} is cancelled: nothing about it changes any more.";
        return field switch
        {
            "type" when !IsBeforeVerification =>
                $"the type sets the Table 3 time-line, which runs since verification: it can change only before {Number} is verified",
            "stack" when !IsBeforeVerification =>
                $"the stack chose the early-adopter channel the release card went to: it can change only before {Number} is verified",
            "security" when value is null =>
                "a security advisory cannot be removed: a restricted release becomes public with `/disclose` once it is in production",
            "security" when SecurityAdvisoryUrl is null && State != TicketState.Certified =>
                $"{Number} is {State.ToName()} and was not restricted, so others have seen it: an advisory can be added only while it is certified",
            _ => null,
        };
    }

    /// <summary>Applies edits already validated (the whole ticket as <c>/release new</c> checks it); one change per field.</summary>
    public void Edit(IReadOnlyList<(string Field, string? To)> edits, Actor by, DateTimeOffset now)
    {
        foreach (var (field, to) in edits)
        {
            var from = FieldValue(field);
            Set(field, to);
            Record(new TicketEdited(field, from, to), by, now);
        }
        Touch(now);
    }

    private void Set(string field, string? value)
    {
        switch (field)
        {
            case "version": Version = value!; break;
            case "type": Type = TicketNames.Parse<ReleaseType>(value!); break;
            case "stack": Stack = value!; break;
            case "os": Os = value; break;
            case "arch": Arch = value; break;
            case "notes": NotesUrl = value; break;
            case "changelog": ChangelogUrl = value; break;
            case "cert": CertificationUrl = value; break;
            case "docs": DocsUrl = value; break;
            case "bugs": BugUrls = value?.Replace(", ", "\n", StringComparison.Ordinal); break;
            case "security": SecurityAdvisoryUrl = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not an editable ticket field.");
        }
    }
}
