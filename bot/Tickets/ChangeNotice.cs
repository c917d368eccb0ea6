using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// What one command did to a ticket, as the one message a person hears of it: the changes of one command are one real
/// change to them (closing sets the state and the outcome; a first acceptance adds a site and starts the rollout), so
/// they read one line, with each text labelled for what it is (a reason, a summary, a site's notes), never twice.
/// </summary>
public static class ChangeNotice
{
    public static string Of(Ticket ticket, IReadOnlyList<TicketChange> changes, Actor by, DateTimeOffset now)
    {
        var closing = changes.OfType<OutcomeSet>().FirstOrDefault();
        var parts = new List<string>();
        var notes = new List<(string Label, string Text)>();
        foreach (var change in changes)
        {
            var line = TicketHistory.Of(change, by, now);
            switch (change)
            {
                case OutcomeSet:
                    continue; // said with the move to closed
                case StateMoved { To: TicketState.Closed } when closing is not null:
                    parts.Add($"is now closed with outcome {closing.Outcome.ToName()}");
                    Note(notes, "Summary", closing.Summary);
                    continue;
                case StateMoved m:
                    parts.Add($"is now {line.To}");
                    Note(notes, m.To == TicketState.Closed ? "Summary" : "Reason", m.Reason);
                    continue;
                case Commented c:
                    parts.Add($"has a new comment: “{E(c.Text)}”");
                    continue;
                case TicketEdited e:
                    parts.Add($"was edited: {e.Field} {E(line.From)} → {E(line.To)}");
                    continue;
            }
            parts.Add(line.To is null ? line.What : $"{line.What}: {E(line.To)}"); // What is our wording; To may carry what people typed
            Note(notes, Label(change), line.Reason);
        }
        var text = $"{ticket.Number} {E(ticket.Component)} {E(ticket.Version)} {string.Join("; ", parts)} ({E(by.Name)}).";
        return notes.Count == 0 ? text : text + string.Concat(notes.Select(n => $"\n{n.Label}: {E(n.Text)}"));
    }

    /// <summary>What the free text of a change is, as its reader should take it.</summary>
    private static string Label(TicketChange change) => change switch
    {
        SiteReported => "Notes",
        EmergencySkipped => "Justification",
        SiteAsked or PartnersCalled => "Note",
        FrequencyExceeded => "Rule",
        TargetMissed => "Due",
        _ => "Reason",
    };

    private static void Note(List<(string Label, string Text)> notes, string label, string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || notes.Any(n => n.Text == text)) return;
        notes.Add((label, text));
    }

    /// <summary>What people typed (versions, site names, reasons), made inert for the chat's markdown (issue 12.12).</summary>
    private static string E(string? text) => Cards.CardText.Escape(text);
}
