using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Operations.Export;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Operations.Import;

/// <summary>What a ticket import did, or why it did nothing.</summary>
public sealed record TicketImportResult(IReadOnlyList<string> Errors, int Added = 0, int AlreadyHeld = 0)
{
    public bool Ok => Errors.Count == 0;

    public string Summary => !Ok
        ? $"Nothing was imported: {Errors.Count} problem(s).\n" + string.Join("\n", Errors)
        : Added == 0 ? $"Nothing to change: the bot already holds all {AlreadyHeld} ticket(s) of the file."
        : $"Imported: {Added} ticket(s) added" + (AlreadyHeld > 0 ? $", {AlreadyHeld} already held and left as they are." : ".");
}

/// <summary>
/// Imports tickets all or nothing: every ticket is checked (<see cref="TicketRecordCheck"/>), then matched with what the
/// bot holds by its number and component/version: the same ticket again is skipped, another ticket under that number or
/// the same ticket with other contents is refused (an import adds tickets, it does not overwrite them). Only a clean
/// file is written, by the caller's one transaction. Nothing reacts to an imported ticket: nobody is told, no card is
/// posted; a restricted ticket stays restricted because its advisory and disclosure are kept as they were.
/// </summary>
public sealed class TicketImport(RolloutOptions options, ComponentCatalogue catalogue)
{
    public async Task<TicketImportResult> RunAsync(RolloutDb db, IReadOnlyList<TicketEntry> entries, string byUser, CancellationToken ct)
    {
        var errors = new List<string>();
        var sites = (await db.Sites.ToListAsync(ct)).OrderBy(s => s.RemovedAt is null ? 0 : 1)
            .GroupBy(s => s.NameKey).ToDictionary(g => g.Key, g => g.First());
        var planned = new List<(TicketEntry Entry, Ticket Ticket, TicketStepTimes? Steps)>();
        foreach (var entry in entries)
        {
            var check = new TicketRecordCheck(options, sites);
            var (ticket, steps) = check.Check(entry.Record);
            errors.AddRange(check.Problems.Select(p => $"{entry.Name}: {p}"));
            if (ticket is not null) planned.Add((entry, ticket, steps));
        }
        foreach (var twice in entries.Where(e => e.Record.Number is not null).GroupBy(e => e.Record.Number).Where(g => g.Count() > 1))
            errors.Add($"{twice.Skip(1).First().Name}: number: #{twice.Key} is in the file more than once (also line {twice.First().Line}); keep one");

        var numbers = planned.Select(p => p.Ticket.Id).ToList();
        var held = await db.Tickets.AsNoTracking().Include(t => t.Participations).Include(t => t.Comments).Include(t => t.Declines)
            .Include(t => t.History).AsSplitQuery().Where(t => numbers.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var heldSteps = await db.TicketStepTimes.AsNoTracking().Where(s => numbers.Contains(s.TicketId)).ToDictionaryAsync(s => s.TicketId, ct);
        var names = sites.Values.ToDictionary(s => s.Id, s => s.Name);
        var added = new List<(Ticket Ticket, TicketStepTimes? Steps)>();
        var alreadyHeld = 0;
        foreach (var (entry, ticket, steps) in planned)
        {
            if (!held.TryGetValue(ticket.Id, out var existing))
            {
                added.Add((ticket, steps));
                continue;
            }
            if (!Same(existing.Component, ticket.Component) || existing.Version != ticket.Version)
            {
                errors.Add($"{entry.Name}: number: this bot's #{ticket.Id} is {existing.Component} {existing.Version}, the file's is " +
                    $"{ticket.Component} {ticket.Version}; an import never replaces a ticket: import into a bot that has no #{ticket.Id}");
                continue;
            }
            var differ = Differences(TicketExport.Record(existing, heldSteps.GetValueOrDefault(existing.Id), names),
                TicketExport.Record(ticket, steps, names));
            if (differ.Count == 0) alreadyHeld++;
            else errors.Add($"{entry.Name}: this bot already holds #{ticket.Id} {ticket.Component} {ticket.Version} with other " +
                $"{string.Join(", ", differ)}; an import adds tickets and never changes one: correct it with the chat commands instead");
        }
        if (errors.Count > 0) return new TicketImportResult(errors);

        foreach (var (ticket, _) in added)
        {
            db.Tickets.Add(ticket);
            // As /release new does: a public release's new component joins the catalogue; an embargoed one waits for disclosure.
            if (!ticket.IsRestricted) await catalogue.EnsureAsync(db, ticket.Component, ticket.Stack, byUser, ct);
        }
        await db.SaveChangesAsync(ct);
        // The model has no navigation from a ticket to its step times: written once the tickets are, in the same transaction.
        db.TicketStepTimes.AddRange(added.Where(a => a.Steps is not null).Select(a => a.Steps!));
        await db.SaveChangesAsync(ct);
        if (added.Count > 0 && db.Database.IsNpgsql())
            // The numbers came from the file: the identity must go on after the highest, or the next /release new collides.
            await db.Database.ExecuteSqlRawAsync(
                "SELECT setval(pg_get_serial_sequence('tickets', 'id'), GREATEST((SELECT MAX(id) FROM tickets), 1))", ct);
        return new TicketImportResult([], added.Count, alreadyHeld);
    }

    /// <summary>The fields in which two records of a ticket differ, as the file names them.</summary>
    private static List<string> Differences(TicketRecord held, TicketRecord file)
    {
        var a = JsonSerializer.SerializeToNode(held, TicketFile.Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(file, TicketFile.Json)!.AsObject();
        return a.Select(p => p.Key).Where(k => !JsonNode.DeepEquals(a[k], b[k])).ToList();
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
