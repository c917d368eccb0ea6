using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// <c>/erase user=…</c> (coordinators): a data-protection request. The person's e-mail address and display name leave the
/// registry, and everywhere the history names them it names a pseudonym instead (the same one each time, so the history
/// still reads as one person). The chat user id stays where roles and tickets need it; it is the channel's opaque id.
/// The erasure itself is recorded, naming the pseudonym, not the person.
/// </summary>
public static class Erasure
{
    private static readonly string[] Usage = ["/erase user=<chat user id>"];

    public static readonly CommandDefinition Definition = new("erase", "Coordinator", Usage,
        "erase a person's e-mail address and name (data-protection request); history shows a pseudonym", Writes: true, RunAsync);

    public static string Pseudonym(string userId) =>
        "person-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..8];

    private static string? Scrub(string? text, IEnumerable<string> personal, string pseudonym) =>
        text is null ? null : personal.Aggregate(text, (t, p) => t.Replace(p, pseudonym, StringComparison.OrdinalIgnoreCase));

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.Require(Role.Coordinator, "erase a person's details") is { } refused) return refused;
        var input = new CommandInput(s.Command, "user");
        var userId = input.Required("user", "the person's chat user id (from `/sites` or `/roles`)");
        if (!input.IsValid) return input.Refusal(Usage);
        var db = s.Db;
        var pseudonym = Pseudonym(userId);

        var admins = await db.SiteAdmins.Where(a => a.UserId == userId).ToListAsync(s.Ct);
        var requests = await db.EngagementRequests.Where(r => r.AdminUserId == userId).ToListAsync(s.Ct);
        var names = admins.Select(a => a.Name).Concat(requests.Select(r => r.AdminName)).Where(n => n != userId && n != pseudonym).Distinct().ToList();
        var emails = admins.Select(a => a.Email).Concat(requests.Select(r => r.AdminEmail)).OfType<string>().Where(e => e.Length > 0).Distinct().ToList();
        foreach (var admin in admins) (admin.Name, admin.Email) = (pseudonym, null);
        foreach (var request in requests) (request.AdminName, request.AdminEmail) = (pseudonym, "");

        var changed = admins.Count + requests.Count;
        changed += await db.TicketHistory.Where(h => h.ByUserId == userId).ExecuteUpdateAsync(u => u.SetProperty(h => h.ByName, pseudonym), s.Ct);
        changed += await db.Tickets.Where(t => t.ProviderId == userId).ExecuteUpdateAsync(u => u.SetProperty(t => t.ProviderName, pseudonym), s.Ct);
        changed += await db.UserConversations.Where(u => u.UserId == userId).ExecuteUpdateAsync(u => u.SetProperty(c => c.UserName, pseudonym), s.Ct);
        changed += await db.RegistryChanges.Where(c => c.ByUserId == userId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ByName, pseudonym), s.Ct);
        // The registry log names the person in the values of the changes about them: rewrite those values too.
        var personal = names.Concat(emails).Append(userId).ToList();
        foreach (var change in await db.RegistryChanges.ToListAsync(s.Ct))
        {
            var (from, to, reason) = (Scrub(change.From, personal, pseudonym), Scrub(change.To, personal, pseudonym), Scrub(change.Reason, personal, pseudonym));
            if ((from, to, reason) == (change.From, change.To, change.Reason)) continue;
            (change.From, change.To, change.Reason) = (from, to, reason);
            changed++;
        }
        if (changed == 0) return Reply.No($"I hold nothing about **{userId}**: no registry entry, no history. Nothing was erased.");

        db.Erasures.Add(new ErasureRecord
        {
            At = s.Now, ByUserId = s.Caller.UserId, ByName = s.Caller.Name, Pseudonym = pseudonym,
            What = $"e-mail address and display name erased on request ({changed} record(s)); the person is shown as {pseudonym}",
        });
        return $"Erased: the e-mail address and name of **{userId}** are gone from the registry ({admins.Count} admin entr(ies), " +
            $"{requests.Count} join request(s)); history shows **{pseudonym}**. The erasure is recorded.";
    }
}

/// <summary>One erasure, naming the pseudonym and never the person: the record that the request was carried out.</summary>
public sealed class ErasureRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string Pseudonym { get; set; }
    public required string What { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<ErasureRecord>(e =>
    {
        e.ToTable("erasures");
        e.HasKey(x => x.Id);
    });
}
