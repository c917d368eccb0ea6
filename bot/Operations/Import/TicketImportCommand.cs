using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations.Import;

/// <summary><c>import tickets FILE</c>: the file <c>export tickets --format json</c> writes, all or nothing, in one transaction.</summary>
public static class TicketImportCommand
{
    public static Command Create(Func<string[], WebApplication> build, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON as `export tickets --format json` writes it" };
        var by = new Option<string>("--by") { Description = "who is importing, as the catalogue names who added a new component", DefaultValueFactory = _ => Environment.UserName };
        var tickets = OperatorCli.Verb(new Command("tickets", "import tickets with their history: all or nothing, idempotent, never overwriting a ticket") { file, by });
        tickets.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!path.Exists) return OperatorCli.Fail(error, $"{path.FullName}: no such file.");
            var (entries, problems) = TicketFileReader.Read(await File.ReadAllBytesAsync(path.FullName, ct));
            if (problems.Count > 0) return OperatorCli.Fail(error, $"{path.Name}: " + new TicketImportResult(problems).Summary);

            await using var app = build([.. r.UnmatchedTokens]);
            await app.MigrateDatabaseAsync();
            var import = new TicketImport(app.Services.Options<RolloutOptions>(), app.Services.Get<ComponentCatalogue>());
            await using var db = await app.Services.Get<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var result = await import.RunAsync(db, entries, "operator:" + r.GetValue(by), ct);
            if (!result.Ok) return OperatorCli.Fail(error, $"{path.Name}: {result.Summary}");
            await tx.CommitAsync(ct);
            await output.WriteLineAsync($"{path.Name}: {result.Summary}");
            return 0;
        });
        return tickets;
    }
}
