using Npgsql;
using Rollout.Bot.Notices;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Notices;

/// <summary>The outbox on PostgreSQL: migration 0006 applies, and two instances' claims never overlap.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDispatcherTests(PostgresServer postgres)
{
    [Fact]
    public async Task TwoDispatchersOnOnePostgresDatabase_NeverSendTheSameNotice()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock();
        using (var app = new NoticesApp(clock: clock, settings: new()
        {
            ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString, ["Notices:BatchSize"] = "2",
        }, worker: false))
        {
            await TwoDispatcherTests.TwoDispatchersNeverSendTheSameNoticeAsync(app, clock);
        }
        // Pooled connections would hold the test database open until the server stops.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
    }

    [Fact]
    public async Task OnPostgres_ADeadInstancesClaims_AreSentByAnotherWithinOneDefaultLease()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock();
        using (var app = new NoticesApp(clock: clock, worker: false, settings: new()
        {
            ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString,
        }))
        {
            await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
            var lease = app.Get<Microsoft.Extensions.Options.IOptions<NoticesOptions>>().Value.ClaimLease;
            Assert.True(lease <= TimeSpan.FromSeconds(10), $"the default lease is {lease}");
            var dead = new FlakyConnector(clock) { Hang = true };
            var alive = new FlakyConnector(clock);
            await app.AddAsync(("n1", NoticeRecipient.Channel("operations"), "one"), ("n2", NoticeRecipient.Channel("operations"), "two"));

            // The first instance claims both and hangs in its first send: then it dies, renewing nothing.
            _ = TwoDispatcherTests.Dispatcher(app, dead, clock).RunOnceAsync();
            await dead.WaitUntilAsync(() => dead.Hanging == 1);
            var survivor = TwoDispatcherTests.Dispatcher(app, alive, clock);
            Assert.Equal(0, (await survivor.RunOnceAsync()).Handled);
            clock.Advance(lease + TimeSpan.FromSeconds(1));
            await survivor.RunOnceAsync();

            Assert.Equal(["one", "two"], alive.Notices.Select(n => n.Activity.Text));
        }
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
    }

    [Fact]
    public async Task OnPostgres_NoticesAreDelivered_UnknownPeopleParked_AndCardCopiesUpdated()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using (var app = new NoticesApp(settings: new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString }))
        {
            await app.SayAsync("/channel bind early-adopters stack=arc", conversationId: "conv-arc", isGroup: true);
            await app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob");
            await using (var db = await app.DbAsync())
            {
                var outbox = app.Get<Outbox>();
                await outbox.AddAsync(db, "ticket:3:card", NoticeRecipient.Channel("early-adopters", "arc"), CardUpdateTests.Card("Verified"), "ticket:3");
                await outbox.AddAsync(db, "ticket:3:card", NoticeRecipient.User("u-bob"), CardUpdateTests.Card("Verified"), "ticket:3");
                await outbox.AddAsync(db, "ticket:3:nobody", NoticeRecipient.User("u-nobody"), "hello");
                await db.SaveChangesAsync();
            }
            await app.Connector.WaitForAsync(c => c.Count(x => x.Op == "send") == 2);
            var parked = await OutboxDeliveryTests.WaitForStateAsync(app, "ticket:3:nobody", NoticeState.Parked);
            await CardUpdateTests.WaitForCopiesAsync(app, 2);
            await using (var db = await app.DbAsync())
            {
                Assert.Equal(2, await app.Get<Outbox>().AddCardUpdateAsync(db, "ticket:3", CardUpdateTests.Card("Done")));
                await db.SaveChangesAsync();
            }

            await app.Connector.WaitForAsync(c => c.Count(x => x.Op == "update") == 2);
            Assert.Contains($"#{parked.Id} `ticket:3:nobody` to user u-nobody: **parked**", await app.SayAsync("/outbox"));
        }
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
    }
}
