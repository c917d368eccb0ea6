using System.Globalization;
using System.Text.Json;
using Sylvan.Data.Csv;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Operations.Export;

/// <summary>
/// What <c>export</c> writes (the whole tickets as JSON: <see cref="TicketExport"/>). The operator runs it on the server and gets everything, restricted tickets included:
/// whoever can run it can read the database. The registry comes out in the columns <c>import sites</c> reads.
/// </summary>
public static class Exports
{
    public static readonly string[] Kinds = ["tickets", "history", "registry", "pilots", "actions"];

    public static async Task<IReadOnlyList<IDictionary<string, object?>>> RowsAsync(RolloutDb db, string kind, CancellationToken ct) => kind switch
    {
        "tickets" => (await db.Tickets.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct)).Select(Ticket).ToList(),
        "history" => (await db.TicketHistory.AsNoTracking().OrderBy(h => h.TicketId).ThenBy(h => h.Id).ToListAsync(ct)).Select(History).ToList(),
        "registry" => await RegistryAsync(db, ct),
        "pilots" => await PilotAndActionRows.PilotsAsync(db, ct),
        "actions" => await PilotAndActionRows.ActionsAsync(db, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an export."),
    };

    public static async Task WriteAsync(IReadOnlyList<IDictionary<string, object?>> rows, IReadOnlyList<string> columns, string format, TextWriter output)
    {
        if (format == "json")
        {
            await output.WriteAsync(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
            await output.WriteLineAsync();
            return;
        }
        using var table = new System.Data.DataTable();
        foreach (var column in columns) table.Columns.Add(column, typeof(string));
        foreach (var row in rows) table.Rows.Add(columns.Select(c => (object)Text(row.TryGetValue(c, out var v) ? v : null)).ToArray());
        // The writer owns what it writes to, and the output may be the console: write to a buffer first.
        var buffer = new StringWriter();
        await using (var csv = CsvDataWriter.Create(buffer, new CsvDataWriterOptions { Delimiter = ',' }))
            await csv.WriteAsync(table.CreateDataReader());
        await output.WriteAsync(buffer.ToString());
    }

    public static IReadOnlyList<string> Columns(string kind) => kind switch
    {
        "tickets" => ["number", "component", "version", "stack", "type", "state", "outcome", "restricted", "provider_id", "provider_name",
            "os", "arch", "repository_url", "production_repository_url", "security_advisory_url", "created_at", "updated_at"],
        "history" => ["ticket", "at", "by_user_id", "by_name", "what", "from", "to", "reason", "kind"],
        "registry" => ["name", "stack", "admin_user", "admin_email", "components", "level", "tz"],
        "pilots" => PilotAndActionRows.PilotColumns,
        "actions" => PilotAndActionRows.ActionColumns,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an export."),
    };

    private static Dictionary<string, object?> Ticket(Ticket t) => new()
    {
        ["number"] = t.Id, ["component"] = t.Component, ["version"] = t.Version, ["stack"] = t.Stack, ["type"] = t.Type.ToName(),
        ["state"] = t.State.ToName(), ["outcome"] = t.Outcome?.ToName(), ["restricted"] = t.IsRestricted, ["provider_id"] = t.ProviderId,
        ["provider_name"] = t.ProviderName, ["os"] = t.Os, ["arch"] = t.Arch, ["repository_url"] = t.RepositoryUrl,
        ["production_repository_url"] = t.ProductionRepositoryUrl, ["security_advisory_url"] = t.SecurityAdvisoryUrl,
        ["created_at"] = t.CreatedAt, ["updated_at"] = t.UpdatedAt,
    };

    private static Dictionary<string, object?> History(TicketHistory h) => new()
    {
        ["ticket"] = h.TicketId, ["at"] = h.At, ["by_user_id"] = h.ByUserId, ["by_name"] = h.ByName, ["what"] = h.What,
        ["from"] = h.From, ["to"] = h.To, ["reason"] = h.Reason, ["kind"] = h.Kind,
    };

    /// <summary>One row per active admin (a site without admins gets one row); commitments without OS/arch on the site's first row.</summary>
    private static async Task<IReadOnlyList<IDictionary<string, object?>>> RegistryAsync(RolloutDb db, CancellationToken ct)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var admins = (await db.SiteAdmins.AsNoTracking().Where(a => a.RemovedAt == null).OrderBy(a => a.UserId).ToListAsync(ct)).ToLookup(a => a.SiteId);
        var commitments = (await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null).OrderBy(c => c.Component).ToListAsync(ct))
            .ToLookup(c => c.SiteId);
        var levels = await Partners.BySiteAsync(db, ct);
        var rows = new List<IDictionary<string, object?>>();
        foreach (var site in sites)
        {
            var people = admins[site.Id].Select(a => (User: (string?)a.UserId, a.Email)).DefaultIfEmpty((null, null)).ToList();
            for (var i = 0; i < people.Count; i++)
            {
                rows.Add(new Dictionary<string, object?>
                {
                    ["name"] = site.Name, ["stack"] = site.Stack, ["admin_user"] = people[i].User, ["admin_email"] = people[i].Email,
                    ["components"] = i == 0 ? string.Join(';', commitments[site.Id].Select(c => c.Component)) : null,
                    ["level"] = levels[site.Id].Any() ? string.Join('+', levels[site.Id].Select(p => Partners.Name(p.Level)).Distinct()) : null,
                    ["tz"] = site.TimeZone,
                });
            }
        }
        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
