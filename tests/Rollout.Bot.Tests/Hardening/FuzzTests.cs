using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;
using Xunit.Abstractions;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>
/// A bounded, seeded fuzz of /api/messages: 3,000 activities by default (more with ROLLOUT_FUZZ_COUNT) built from the bot's own commands and the
/// shapes that broke it before (null members, blank ids, calendar edges, huge words, unclosed mentions, forged clicks).
/// No answer may be a 5xx, and the database must be intact afterwards. ROLLOUT_FUZZ_COUNT / ROLLOUT_FUZZ_SEED widen it.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Types = ["message", "message", "message", "invoke", "conversationUpdate", "event", "typing", "installationUpdate", "messageReaction", "bogus", ""];
    private static readonly string[] Users = [TicketWorld.Coordinator, TicketWorld.Provider, TicketWorld.Alice, TicketWorld.Bob, "u-eve", " ", "", "\u200b", "29:1ab", "x\u202eevil"];
    private static readonly string[] Words = ["#1", "#2", "#999999999999999999999", "site=Alpha", "site=\"Beta\"", "component=cream", "version=1.2.3",
        "stack=glite", "type=minor", "type=emergency", "from=0001-01-01", "to=9999-12-31", "outcome=warning", "role=security", "user=u-bob",
        "notes=https://x.example", "reason=\"because\"", "\"", "=", "==", "<at>", "</at>", "<at>Bot</at>", "**bold**", "[a](https://evil.example)",
        "security=https://svg.example/1", "repo=https://repo.example", "name=ÅSITE", "\u0000", "😀", "key=", "a=b=c"];

    [Fact]
    public async Task ThousandsOfSeededActivities_NeverAnswer5xx_AndLeaveTheDatabaseIntact()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("ROLLOUT_FUZZ_COUNT"), out var c) ? c : 3_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ROLLOUT_FUZZ_SEED"), out var s) ? s : 20261202;
        using var world = new TicketWorld();
        await world.CastAsync();
        await world.OpenAsync();
        var commands = world.App.Services.GetRequiredService<CommandRegistry>().All.Select(d => d.Name).ToArray();
        var verbs = world.App.Services.GetRequiredService<CardActionRegistry>().Verbs.Append("no.such.verb").ToArray();
        var random = new Random(seed);
        var bodies = Enumerable.Range(0, count).Select(i => Activity(random, i, commands, verbs)).ToList();
        var http = world.App.CreateClient();
        var statuses = new Dictionary<int, int>();
        var watch = Stopwatch.StartNew();

        foreach (var chunk in bodies.Chunk(8))
        {
            var answers = await Task.WhenAll(chunk.Select(async body =>
            {
                var response = await http.PostAsync("/api/messages", new StringContent(body, Encoding.UTF8, "application/json"));
                return ((int)response.StatusCode, body);
            }));
            foreach (var (status, body) in answers)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                // 501 is Bot Builder's answer to an invoke nobody handles (PROTOCOL §5), not a failure.
                var unhandledInvoke = status == 501 && body.StartsWith("{\"type\":\"invoke\"", StringComparison.Ordinal);
                Assert.True(status < 500 || unhandledInvoke, $"{status} for {body[..Math.Min(body.Length, 400)]}");
            }
        }

        output.WriteLine($"{count} activities (seed {seed}) in {watch.ElapsedMilliseconds} ms: " +
            string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Value}× {p.Key}")));
        var integrity = await world.DbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync());
        Assert.Equal(["ok"], integrity);
        var brokenKeys = await world.DbAsync(db => db.Database.SqlQueryRaw<string>("SELECT \"table\" AS \"Value\" FROM pragma_foreign_key_check").ToListAsync());
        Assert.Empty(brokenKeys);
        Assert.All(await world.DbAsync(db => db.Tickets.AsNoTracking().ToListAsync()), t => Assert.True(t.Id > 0));
        Assert.Contains("coordinator", await world.SayAsync("/whoami", TicketWorld.Coordinator), StringComparison.OrdinalIgnoreCase);
    }

    private static string Activity(Random r, int i, string[] commands, string[] verbs)
    {
        T Pick<T>(T[] items) => items[r.Next(items.Length)];
        var type = Pick(Types);
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = r.Next(10) == 0 ? $"act-{r.Next(20)}" : $"act-{i}-{r.Next()}", // some re-sends
            ["channelId"] = Pick(new[] { "test", "msteams", "directline", "emulator" }),
            ["serviceUrl"] = BotApp.ServiceUrl,
            ["conversation"] = new JsonObject { ["id"] = r.Next(8) == 0 ? "conv-room" : "conv-" + r.Next(30), ["isGroup"] = r.Next(4) == 0 },
            ["recipient"] = new JsonObject { ["id"] = "bot" },
        };
        var user = Pick(Users);
        if (r.Next(15) != 0) activity["from"] = new JsonObject { ["id"] = user, ["name"] = r.Next(3) == 0 ? null : "N" + user };
        switch (type)
        {
            case "message":
                var words = new List<string> { (r.Next(3) == 0 ? "" : "/") + Pick(commands) };
                if (r.Next(6) == 0) words[0] = "/" + new string((char)('a' + r.Next(26)), r.Next(1, 20_000));
                if (r.Next(4) == 0) words.Add(Pick(new[] { "new", "grant", "revoke", "add", "list" }));
                for (var k = r.Next(6); k > 0; k--) words.Add(Pick(Words));
                if (r.Next(25) == 0) words.Add(string.Concat(Enumerable.Repeat("<at>", r.Next(1, 40_000))));
                if (r.Next(25) == 0) words.Add("comment=" + new string('c', r.Next(1, 30_000)));
                activity["text"] = string.Join(' ', words);
                if (r.Next(5) == 0)
                    activity["value"] = new JsonObject { ["verb"] = Pick(verbs), ["ticket"] = r.Next(4).ToString(), ["site"] = Pick(new[] { "Alpha", "Beta", "" }) };
                if (r.Next(10) == 0) activity["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = "bot" } }, null);
                break;
            case "invoke":
                activity["name"] = r.Next(3) == 0 ? "something/else" : "adaptiveCard/action";
                activity["value"] = r.Next(5) == 0 ? JsonValue.Create(42)
                    : new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = Pick(verbs), ["data"] = new JsonObject { ["ticket"] = r.Next(3).ToString() } }, ["trigger"] = Pick(new[] { "manual", "automatic" }) };
                break;
            case "conversationUpdate":
                activity["membersAdded"] = r.Next(3) == 0 ? new JsonArray(null, null) : new JsonArray(new JsonObject { ["id"] = Pick(Users) }, new JsonObject { ["id"] = "bot" });
                if (r.Next(3) == 0) activity["membersRemoved"] = new JsonArray((JsonNode?)null);
                break;
        }
        if (r.Next(20) == 0) activity["channelData"] = r.Next(2) == 0 ? JsonValue.Create("x") : new JsonObject { ["tenant"] = new JsonObject { ["id"] = 5 } };
        return activity.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
