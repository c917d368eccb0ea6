using System.Globalization;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Seed 002 §2.4, security restrictions: a restricted release is "not made public beyond the security group and the EAs
/// committed". The conversation bound to the <c>security</c> purpose is that group's room: it follows every restricted
/// release from its opening through each state move and its move to production, to its disclosure, in full.
/// Nothing about a public release goes there, and nothing after disclosure.
/// </summary>
public sealed class SecurityNotices(Outbox outbox)
{
    public static IServiceCollection AddSecurityNotices(IServiceCollection services)
    {
        services.AddSingleton<SecurityNotices>();
        services.AddReactionToAll<Ticket, TicketChange>("security: the security group follows every restricted release",
            sp => sp.Get<SecurityNotices>().OnChangesAsync);
        return services;
    }

    private async Task OnChangesAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        if (!ticket.IsSecurityRelease) return;
        foreach (var change in changes)
        {
            if (ticket.IsRestricted == change is Disclosed) continue; // restricted: all but disclosure; public: only the disclosure itself
            if (Line(ticket, change, ctx.By) is not { } line) continue;
            var key = $"ticket:{ticket.Id}:security:{change.StoredKind}:{Distinct(change, ctx)}";
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.Channel(NoticePurposes.Security),
                $"Restricted {ticket.Number} {ticket.Component} {ticket.Version} ({ticket.Type.ToName()}, {ticket.Stack}) {line}", ctx.Ct);
        }
    }

    private static string? Line(Ticket t, TicketChange change, Actor by) => change switch
    {
        TicketOpened => $"was opened by {by.Name}, with the advisory {t.SecurityAdvisoryUrl}. It is embargoed until a coordinator discloses it.",
        StateMoved { To: TicketState.Closed } => $"is closed with {t.Outcome?.ToName()} by {by.Name}" +
            (t.GoesToProduction ? ": its packages move to production next." : "."),
        StateMoved m => $"is now {m.To.ToName()} ({by.Name}).{(m.Reason is { } r ? $" Reason: {r}" : "")}",
        ProductionRepositorySet p => $"is in the production repository {p.Url} ({by.Name}). `/disclose {t.Number}` once the advisory is public: " +
            "that announces it to every site.",
        Disclosed => $"was disclosed by {by.Name}: it is public on every surface" + (t.ProductionRepositoryUrl is null
            ? $"; the broadcast to every site waits for `/production {t.Number} repo=URL`." : " and announced to every site."),
        TicketEdited e => e.Field == "security" && e.From is null
            ? $"is restricted from now on: {by.Name} added the advisory {e.To}. It is embargoed until a coordinator discloses it."
            : $"was edited by {by.Name}: {e.Field} {e.From ?? "not set"} → {e.To ?? "not set"}.",
        _ => null,
    };

    private static string Distinct(TicketChange change, ReactionContext ctx) => change switch
    {
        StateMoved m => m.To.ToName(),
        _ => ctx.Now.UtcTicks.ToString(CultureInfo.InvariantCulture),
    };
}
