using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/ticket #N</c>: everything about one ticket: state, links, participants, comments and the full history; and
/// <c>/ticket edit #N …</c> (<see cref="TicketEdit"/>), which is why the command runs in a write transaction.
/// </summary>
public static class ShowTicket
{
    public static readonly IReadOnlyList<string> Usage = ["/ticket #N", TicketEdit.UsageLine];

    public static CommandDefinition Definition(RolloutOptions options) => new(
        "ticket", "Everyone", Usage, "state, links, sites, comments and history of a ticket (its provider or a coordinator: edit it)",
        Writes: true, s => s.Command.Verb == "edit" ? TicketEdit.RunAsync(s, options, Usage) : RunAsync(s));

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        var history = await s.Db.TicketHistory.AsNoTracking().Where(h => h.TicketId == ticket.Id).OrderBy(h => h.Id).ToListAsync(s.Ct);
        var comments = await s.Db.TicketComments.AsNoTracking().Where(c => c.TicketId == ticket.Id).OrderBy(c => c.Id).ToListAsync(s.Ct);
        await s.Db.LoadDeclinesAsync(ticket, s.Ct);
        return Render(ticket, history, comments);
    }

    public static string Render(Ticket t, IReadOnlyList<TicketHistory> history, IReadOnlyList<TicketComment> comments)
    {
        var text = new StringBuilder();
        text.Append($"**{t.Number} {E(t.Component)} {E(t.Version)}** — {t.State.ToName()}");
        if (t.Outcome is { } outcome) text.Append($" ({outcome.ToName()})");
        if (t.IsRestricted) text.Append(" — **restricted**");
        else if (t.IsSecurityRelease) text.Append(" — security release, disclosed");
        text.Append('\n');
        text.Append($"- Stack: {t.Stack} · type: {t.Type.ToName()}");
        if (t.UpdateCategory is { } category) text.Append($" · category: {Pilots.UpdateCategories.Describe(category)}");
        if (t.Os is not null || t.Arch is not null) text.Append($" · platform: {E(t.Os ?? "any")} {E(t.Arch)}".TrimEnd());
        text.Append($"\n- Provider: {E(t.ProviderName)} · opened {TicketCommand.When(t.CreatedAt)}\n");
        Link(text, "Release notes", t.NotesUrl);
        Link(text, "Changelog", t.ChangelogUrl);
        Link(text, "Certification report", t.CertificationUrl);
        Link(text, "Documentation", t.DocsUrl);
        foreach (var bug in t.Bugs) Link(text, "Bug", bug);
        Link(text, "Security advisory", t.SecurityAdvisoryUrl);
        Link(text, "Staged-rollout repository", t.RepositoryUrl);
        Link(text, "Production repository", t.ProductionRepositoryUrl);
        if (t.Summary is not null) text.Append($"- Summary: {E(t.Summary)}\n");

        text.Append("\n**Sites**\n");
        if (t.Participations.Count == 0) text.Append("- none yet\n");
        foreach (var p in t.Participations.OrderBy(p => p.AcceptedAt).ThenBy(p => p.Id))
        {
            text.Append($"- {E(p.SiteName)}: {p.Status}, accepted by {E(p.AcceptedByName)} {TicketCommand.When(p.AcceptedAt)}");
            if (p.DoneAt is { } done) text.Append($", done {TicketCommand.When(done)}");
            if (p.Hours is { } hours) text.Append($", {hours:0.##} h");
            if (p.Report is not null) text.Append($": {E(p.Report)}");
            if (p.BugUrls is not null) text.Append($" (bugs: {p.BugUrls.Replace('\n', ' ')})");
            if (p.WithdrawReason is not null) text.Append($": {E(p.WithdrawReason)}");
            text.Append('\n');
        }

        foreach (var d in t.Declines.OrderBy(d => d.DeclinedAt))
            text.Append($"- {E(d.SiteName)}: not this time, said by {E(d.DeclinedByName)} {TicketCommand.When(d.DeclinedAt)}: {E(d.Reason)}\n");

        if (comments.Count > 0)
        {
            text.Append("\n**Comments**\n");
            foreach (var c in comments) text.Append($"- {TicketCommand.When(c.At)} {E(c.ByName)}: {E(c.Text)}\n");
        }

        text.Append("\n**History**\n");
        // Comments are listed above; their history rows only say that one was added.
        foreach (var h in history.Where(h => h.Kind != Commented.Kind))
        {
            text.Append($"- {TicketCommand.When(h.At)} {E(h.ByName)}: {h.What}");
            if (h.From is not null || h.To is not null) text.Append($" {E(h.From ?? "—")} → {E(h.To ?? "—")}");
            if (h.Reason is not null) text.Append($" ({E(h.Reason)})");
            text.Append('\n');
        }
        var next = TicketWorkflow.AllowedFrom(t.State);
        if (next.Count > 0) text.Append($"\nNext: {string.Join(", ", next.Select(n => $"`{TicketWorkflow.Command(n)}`"))}");
        return text.ToString().TrimEnd();
    }

    private static void Link(StringBuilder text, string title, string? url)
    {
        if (url is not null) text.Append($"- {title}: {url}\n");
    }

    /// <summary>What people typed (versions, site names, reports, reasons), made inert for the chat's markdown (issue 12.12).</summary>
    private static string E(string? text) => Cards.CardText.Escape(text);
}
