using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Rollout.Bot.Bench.Metrics;

/// <summary>
/// Writes a large history straight into the bot's SQLite file with prepared statements in one transaction:
/// 40 sites, 100,000 tickets over three years, 10 history rows each (1,000,000), two participations each, and the
/// step-times row of each ticket.
/// Instants go through EF's own converter so they read back exactly as the bot writes them.
/// </summary>
public static class Seeder
{
    public const int Tickets = 100_000, HistoryPerTicket = 10, Sites = 40;
    private static readonly DateTimeOffsetToBinaryConverter Converter = new();
    private static readonly string[] Components = ["cream", "dpm", "storm", "argus", "apel", "bdii", "voms", "lfc", "wms", "fts", "unicore-tsi", "globus-gridftp"];
    private static readonly string[] Types = ["revision", "revision", "minor", "minor", "minor", "major", "emergency"];

    private static object T(DateTimeOffset at) => Converter.ConvertToProvider(at)!;

    public static void Seed(string databaseFile, DateTimeOffset now)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile}");
        connection.Open();
        using var tx = connection.BeginTransaction();
        var random = new Random(42);
        var siteCommand = Prepare(connection, tx, "INSERT INTO sites (id, name, name_key, stack, created_at) VALUES ($1, $2, lower($2), 'glite', $3)", 3);
        var commitCommand = Prepare(connection, tx, "INSERT INTO commitments (site_id, component, committed_at) VALUES ($1, $2, $3)", 3);
        var start = now.AddDays(-3 * 365);
        for (var s = 1; s <= Sites; s++)
        {
            Run(siteCommand, s, $"SITE-{s:00}", T(start));
            Run(commitCommand, s, Components[s % Components.Length], T(start));
        }

        var ticket = Prepare(connection, tx, """
            INSERT INTO tickets (id, component, version, stack, release_type, security_advisory_url, provider_id, provider_name, notes_url,
                                 state, outcome, created_at, updated_at)
            VALUES ($1, $2, $3, 'glite', $4, $5, 'u-prov', 'Provider', $6, $7, $8, $9, $10)
            """, 10);
        var history = Prepare(connection, tx,
            "INSERT INTO ticket_history (ticket_id, at, by_user_id, by_name, what, from_value, to_value) VALUES ($1, $2, 'u-x', 'X', $3, $4, $5)", 5);
        var participation = Prepare(connection, tx, """
            INSERT INTO ticket_participations (ticket_id, site_id, site_name, accepted_by, accepted_by_name, accepted_at, done_at, outcome, hours)
            VALUES ($1, $2, $3, 'u-admin', 'Admin', $4, $5, $6, $7)
            """, 7);
        var stepTimes = Prepare(connection, tx,
            "INSERT INTO ticket_step_times (ticket_id, unverified_at, verified_at, rolling_out_at, closed_at, rejected_at) VALUES ($1, $2, $3, $4, $5, $6)", 6);

        var step = (now - start - TimeSpan.FromDays(20)) / Tickets;
        for (var id = 1; id <= Tickets; id++)
        {
            var created = start + step * id;
            var type = Types[random.Next(Types.Length)];
            var unverified = created.AddHours(1 + random.Next(6));
            var verified = unverified.AddHours(4 + random.Next(80));
            var accepted = verified.AddHours(1 + random.Next(40));
            var done = accepted.AddHours(10 + random.Next(100));
            var closed = done.AddHours(24 + random.Next(150));
            var rejected = random.Next(20) == 0;
            var inProgress = closed > now;
            var outcome = rejected ? null : random.Next(10) == 0 ? "warning" : "success";
            var state = rejected ? "rejected" : inProgress ? "rolling-out" : "closed";
            var s1 = 1 + random.Next(Sites);
            var s2 = 1 + (s1 + random.Next(Sites - 1)) % Sites;
            var component = Components[random.Next(Components.Length)];
            Run(ticket, id, component, $"{id / 1000}.{id % 1000}", type, random.Next(50) == 0 ? "https://advisories.example.org/x" : DBNull.Value,
                $"https://rel.example.org/{id}", state, inProgress || rejected ? DBNull.Value : outcome!, T(created), T(rejected ? verified : closed));

            (string What, string? From, string? To, DateTimeOffset At)[] rows = rejected
                ? [("created", null, "certified", created), ("state", "certified", "unverified", unverified), ("repository", null, "x", unverified),
                   ("package pull failed", null, null, unverified), ("comment", null, null, unverified), ("comment", null, null, unverified),
                   ("comment", null, null, verified), ("comment", null, null, verified), ("outcome", null, "reject", verified), ("state", "unverified", "rejected", verified)]
                : [("created", null, "certified", created), ("state", "certified", "unverified", unverified), ("state", "unverified", "verified", verified),
                   ("site accepted", null, $"SITE-{s1:00}", accepted), ("state", "verified", "rolling-out", accepted),
                   ("site accepted", null, $"SITE-{s2:00}", accepted.AddHours(2)), ($"site SITE-{s1:00} done", "accepted", "done (success)", done),
                   ($"site SITE-{s2:00} done", "accepted", "done (success)", done.AddHours(1)), ("outcome", null, outcome, closed), ("state", "rolling-out", "closed", closed)];
            foreach (var r in rows.Where(r => r.At <= now))
                Run(history, id, T(r.At), r.What, (object?)r.From ?? DBNull.Value, (object?)r.To ?? DBNull.Value);
            // What the workflow keeps on each state move (Tickets/TicketStepTimes.cs): the first instant of each state.
            object First(string state) => rows.Where(r => r.What == "state" && r.To == state && r.At <= now).Select(r => T(r.At)).FirstOrDefault() ?? DBNull.Value;
            Run(stepTimes, id, First("unverified"), First("verified"), First("rolling-out"), First("closed"), First("rejected"));
            if (!rejected && accepted <= now)
            {
                var finished = done <= now;
                Run(participation, id, s1, $"SITE-{s1:00}", T(accepted), finished ? T(done) : DBNull.Value, finished ? "success" : DBNull.Value, finished ? 2.5 : DBNull.Value);
                Run(participation, id, s2, $"SITE-{s2:00}", T(accepted.AddHours(2)), finished ? T(done.AddHours(1)) : DBNull.Value, finished ? "success" : DBNull.Value, finished ? 4.0 : DBNull.Value);
            }
        }
        tx.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++) command.Parameters.Add(new SqliteParameter("$" + i, null));
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }
}
