using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Operations.Export;
using Rollout.Bot.Operations.Import;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations;

/// <summary>
/// The operator's verbs of the bot's own executable (<c>Rollout.Bot import sites FILE</c>, <c>export</c>, <c>backup</c>,
/// <c>restore</c>), parsed with System.CommandLine. Tokens it does not know are configuration, as for the bot itself
/// (<c>--Storage:Provider=Postgres</c>, <c>--DataFolder=/var/lib/rollout-bot</c>), so a verb works on the same database.
/// </summary>
public static class OperatorCli
{
    public static readonly string[] Verbs = ["import", "export", "backup", "restore"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <param name="build">Builds the bot's host (services and configuration) without running it.</param>
    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build, TextWriter output, TextWriter error,
        CancellationToken ct = default)
    {
        // What a verb prints on standard output is its result (an export is often piped): logs go to standard error,
        // and only warnings. Configuration given on the command line comes later and wins.
        var quiet = new Func<string[], WebApplication>(extra => build(
            ["--Logging:LogLevel:Default=Warning", "--Logging:Console:LogToStandardErrorThreshold=Trace", .. extra]));
        var root = new RootCommand("Rollout.Bot operator commands. Without one, the bot runs.");
        root.Add(ImportCommand(quiet, output, error));
        root.Add(ExportCommand(quiet, output, error));
        root.Add(BackupCommands.Backup(quiet, output, error));
        root.Add(BackupCommands.Restore(quiet, output, error));
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    private static Command ImportCommand(Func<string[], WebApplication> build, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV (name,stack,admin_user,admin_email,components[,level,tz]) or GOCDB site-list XML" };
        var stack = new Option<string?>("--stack") { Description = "the middleware stack of the sites in a GOCDB XML file (GOCDB has none)" };
        var by = new Option<string>("--by") { Description = "who is importing, as the registry's change log names them", DefaultValueFactory = _ => Environment.UserName };
        var sites = Verb(new Command("sites", "import Early Adopter sites, admins and commitments: all or nothing, idempotent") { file, stack, by });
        sites.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!path.Exists) return Fail(error, $"{path.FullName}: no such file.");
            using var text = path.OpenText();
            var xml = path.Extension.Equals(".xml", StringComparison.OrdinalIgnoreCase);
            var (rows, errors) = xml ? SiteRows.ReadGocdb(text, r.GetValue(stack)) : SiteRows.ReadCsv(text);
            if (errors.Count > 0) return Fail(error, new ImportResult(errors).Summary);

            await using var app = build([.. r.UnmatchedTokens]);
            await app.MigrateDatabaseAsync();
            var import = new SiteImport(app.Services.Options<RolloutOptions>(), app.Services.Get<RegistryOperations>());
            var operatorName = r.GetValue(by)!;
            await using var db = await app.Services.Get<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await import.RunAsync(db, rows, new Actor("operator:" + operatorName, operatorName + " (import)"),
                app.Services.Get<TimeProvider>().GetUtcNow(), ct);
            if (!result.Ok) return Fail(error, $"{path.Name}: {result.Summary}");
            await tx.CommitAsync(ct);
            await output.WriteLineAsync($"{path.Name}: {result.Summary}");
            return 0;
        });
        return new Command("import", "import data into the bot's database") { sites, TicketImportCommand.Create(build, output, error) };
    }

    private static Command ExportCommand(Func<string[], WebApplication> build, TextWriter output, TextWriter error)
    {
        var what = new Argument<string>("WHAT") { Description = string.Join("|", Exports.Kinds) };
        what.AcceptOnlyFromAmong(Exports.Kinds);
        var format = new Option<string>("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var into = new Option<FileInfo?>("--output", "-o") { Description = "write here instead of standard output" };
        var export = Verb(new Command("export", "write tickets (JSON: whole, as import tickets reads them), their history, the registry, pilots or actions as CSV or JSON") { what, format, into });
        export.SetAction(async (r, ct) =>
        {
            var kind = r.GetValue(what)!;
            await using var app = build([.. r.UnmatchedTokens]);
            await using var db = await app.Services.Get<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ct);
            var missing = await SchemaMigrator.MissingAsync(db, ct);
            if (missing.Count > 0) return Fail(error, $"The database lacks migrations {string.Join(", ", missing)}: start the bot once, or run import.");
            var target = r.GetValue(into);
            await using var file = target is null ? null : new StreamWriter(target.FullName);
            if (kind == "tickets" && r.GetValue(format) == "json")
            {
                // The whole ticket, as import tickets reads it back; the CSV stays one flat row per ticket.
                var tickets = await TicketExport.ReadAsync(db, ct);
                await ((TextWriter?)file ?? output).WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(tickets, TicketFile.Json));
                if (target is not null) await error.WriteLineAsync($"{tickets.Tickets!.Count} ticket(s) written to {target.FullName}.");
                return 0;
            }
            var rows = await Exports.RowsAsync(db, kind, ct);
            await Exports.WriteAsync(rows, Exports.Columns(kind), r.GetValue(format)!, (TextWriter?)file ?? output);
            if (target is not null) await error.WriteLineAsync($"{rows.Count} {kind} row(s) written to {target.FullName}.");
            return 0;
        });
        return export;
    }

    /// <summary>Unknown tokens are configuration keys for the host, not mistakes.</summary>
    internal static Command Verb(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }

    internal static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 1;
    }
}
