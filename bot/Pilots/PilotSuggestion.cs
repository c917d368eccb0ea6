using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Seed 004: the update category decides the route. When a ticket's category calls for a pilot (a non-backward-compatible
/// client update, or any server update), the bot says so with the partner bin to use, to the provider in its reply and to
/// the coordinators in the operations room (never naming a restricted release there).
/// </summary>
public static class PilotSuggestion
{
    public static void AddPilotSuggestions(IServiceCollection services)
    {
        services.AddReaction<Ticket, TicketOpened>("pilots: a release whose category calls for a pilot", sp => (ctx, t, _) =>
            TellCoordinatorsAsync(ctx, t, sp.Get<Outbox>()));
        services.AddReaction<Ticket, TicketEdited>("pilots: a category edited to one that calls for a pilot", sp => (ctx, t, e) =>
            e.Field == "category" ? TellCoordinatorsAsync(ctx, t, sp.Get<Outbox>()) : Task.CompletedTask);
    }

    /// <summary>The sentence for the provider's reply, or "" when the category needs no pilot (or none is given).</summary>
    public static async Task<string> ForReplyAsync(RolloutDb db, Ticket t, CancellationToken ct) =>
        await TextAsync(db, t, ct) is { } text ? "\n" + text : "";

    private static async Task<string?> TextAsync(RolloutDb db, Ticket t, CancellationToken ct)
    {
        if (t.IsRestricted || t.UpdateCategory is not { } category || category.PartnerLevel() is not { } level) return null;
        if (await db.Pilots.AnyAsync(p => p.TicketId == t.Id, ct)) return null;
        var partners = await Partners.Active(db).Where(p => p.Level == level).Select(p => p.Site!.Name).OrderBy(n => n).ToListAsync(ct);
        return $"A {category.Describe()} calls for a pilot in production run by {Partners.Name(level)} partners (seed 004); " +
            $"{(partners.Count == 0 ? "none is registered yet (`/partner set`)" : $"registered: {string.Join(", ", partners)}")}. " +
            $"Ask for it with `/pilot request ticket={t.Number} category={category.ToName()} title=\"…\" requester=\"…\" kind=developer`.";
    }

    private static async Task TellCoordinatorsAsync(ReactionContext ctx, Ticket t, Outbox outbox)
    {
        if (await TextAsync(ctx.Db, t, ctx.Ct) is not { } text) return;
        await outbox.AddAsync(ctx.Db, $"ticket:{t.Id}:pilot-suggested:{t.UpdateCategory!.Value.ToName()}", PilotCommand.Coordinators,
            $"{t.Number} {t.Component} {t.Version}: {text}", ctx.Ct);
    }
}
