using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Status;

/// <summary>
/// A bot whose history is written straight into the database with known instants (UTC; Zurich is UTC+1 in
/// February, so the working day is 08:00–16:00 UTC). The clock stands at Monday 2 March 2026, 12:00 UTC.
/// Releases created in February 2026:
/// #1 cream 1.0 minor: certified Mon 2 Feb 08:00, unverified 10:00, verified Tue 3 Feb 10:00, closed Fri 6 Feb 10:00, success.
///    Alpha accepts Tue 3 Feb 12:00, reports Thu 5 Feb 12:00 (3.5 h); Beta accepts Wed 4 Feb 10:00, reports Thu 5 Feb 10:00 (1.5 h).
/// #2 cream 2.0 minor: certified Mon 9 Feb 08:00, unverified 14:00 (late), verified Mon 16 Feb 08:00 (late), closed Tue 17 Feb 08:00, warning.
///    Alpha accepts Mon 16 Feb 14:00, reports Tue 17 Feb 07:00 (2 h).
/// #3 dpm 9.9.9-sec revision, restricted: certified Tue 10 Feb 08:00, unverified 09:00, verified 12:00; Beta accepts 16:00, still rolling out.
/// #4 storm 3.0 major: certified Fri 20 Feb 08:00, unverified 09:00, rejected Mon 23 Feb 08:00.
/// #5 argus 4.0 minor: certified Wed 25 Feb 08:00, unverified 09:00, verified Thu 26 Feb 09:00; nobody has accepted yet.
/// #6 apel 5.0 revision: certified Thu 26 Feb 08:00, unverified 09:00, verified 10:00; Alpha accepts 12:00, rolling out.
/// #7 cream 0.9 minor, January: outside the February period.
/// Alpha (admin Alice) is committed to cream, Beta (admin Bob) to dpm; Gamma's commitment ended in January.
/// </summary>
public sealed class SeededHistory : IDisposable
{
    public const string Coordinator = "u-coord", Alice = "u-alice", Bob = "u-bob", Eve = "u-eve";
    public static readonly DateTimeOffset Now = At("2026-03-02 12:00");

    /// <param name="dataFolder">An existing data folder (SQLite) to start on, as an upgraded bot does; a fresh one otherwise.</param>
    public SeededHistory(Dictionary<string, string?>? settings = null, string? dataFolder = null)
    {
        var all = new Dictionary<string, string?> { ["Roles:Coordinators:0"] = Coordinator };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        App = new BotApp(all, dataFolder) { ExtraServices = s => s.AddSingleton<TimeProvider>(new ManualTimeProvider(Now)) };
    }

    public BotApp App { get; }

    public static DateTimeOffset At(string utc) => DateTimeOffset.ParseExact(utc + " +00:00", "yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<SeededHistory> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var world = new SeededHistory(settings);
        await world.SeedAsync();
        return world;
    }

    public void Dispose() => App.Dispose();

    public async Task DbAsync(Func<RolloutDb, Task> work)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        await work(db);
    }

    private Task SeedAsync() => DbAsync(db => SeedAsync(db, stepTimes: true));

    /// <summary>
    /// Writes the history above into <paramref name="db"/>. With <paramref name="stepTimes"/>, each ticket also gets the
    /// step-times row the workflow keeps on every state move; without, the database looks like one from before 0010.
    /// </summary>
    public static async Task SeedAsync(RolloutDb db, bool stepTimes)
    {
        var alpha = new Site { Name = "Alpha", Stack = "glite", CreatedAt = At("2026-01-01 00:00") };
        var beta = new Site { Name = "Beta", Stack = "glite", CreatedAt = At("2026-01-01 00:00") };
        var gamma = new Site { Name = "Gamma", Stack = "glite", CreatedAt = At("2026-01-01 00:00") };
        db.Sites.AddRange(alpha, beta, gamma);
        await db.SaveChangesAsync();
        db.SiteAdmins.Add(new SiteAdmin { SiteId = alpha.Id, UserId = Alice, Name = "Alice", Email = "alice@alpha.example.org", AddedAt = At("2026-01-01 00:00") });
        db.SiteAdmins.Add(new SiteAdmin { SiteId = beta.Id, UserId = Bob, Name = "Bob", Email = "bob@beta.example.org", AddedAt = At("2026-01-01 00:00") });
        db.Commitments.Add(new Commitment { SiteId = alpha.Id, Component = "cream", CommittedAt = At("2026-01-01 00:00") });
        db.Commitments.Add(new Commitment { SiteId = beta.Id, Component = "dpm", CommittedAt = At("2026-01-01 00:00") });
        db.Commitments.Add(new Commitment { SiteId = gamma.Id, Component = "storm", CommittedAt = At("2026-01-01 00:00"), EndedAt = At("2026-01-20 00:00") });

        var t1 = Release("cream", "1.0", ReleaseType.Minor, "2026-02-02 08:00", ("unverified", "2026-02-02 10:00"), ("verified", "2026-02-03 10:00"),
            ("rolling-out", "2026-02-03 12:00"), ("closed", "2026-02-06 10:00"));
        t1.Outcome = Outcome.Success;
        t1.Participations.Add(Part(alpha, "2026-02-03 12:00", "2026-02-05 12:00", 3.5));
        t1.Participations.Add(Part(beta, "2026-02-04 10:00", "2026-02-05 10:00", 1.5));
        var t2 = Release("cream", "2.0", ReleaseType.Minor, "2026-02-09 08:00", ("unverified", "2026-02-09 14:00"), ("verified", "2026-02-16 08:00"),
            ("rolling-out", "2026-02-16 14:00"), ("closed", "2026-02-17 08:00"));
        t2.Outcome = Outcome.Warning;
        t2.Summary = "Ask alice@alpha.example.org about the changed configuration.";
        t2.Participations.Add(Part(alpha, "2026-02-16 14:00", "2026-02-17 07:00", 2));
        var t3 = Release("dpm", "9.9.9-sec", ReleaseType.Revision, "2026-02-10 08:00", ("unverified", "2026-02-10 09:00"), ("verified", "2026-02-10 12:00"),
            ("rolling-out", "2026-02-10 16:00"));
        t3.SecurityAdvisoryUrl = "https://advisories.example.org/2026-01";
        t3.Participations.Add(Part(beta, "2026-02-10 16:00", null, null));
        var t4 = Release("storm", "3.0", ReleaseType.Major, "2026-02-20 08:00", ("unverified", "2026-02-20 09:00"), ("rejected", "2026-02-23 08:00"));
        var t5 = Release("argus", "4.0", ReleaseType.Minor, "2026-02-25 08:00", ("unverified", "2026-02-25 09:00"), ("verified", "2026-02-26 09:00"));
        var t6 = Release("apel", "5.0", ReleaseType.Revision, "2026-02-26 08:00", ("unverified", "2026-02-26 09:00"), ("verified", "2026-02-26 10:00"),
            ("rolling-out", "2026-02-26 12:00"));
        t6.Participations.Add(Part(alpha, "2026-02-26 12:00", null, null));
        var t7 = Release("cream", "0.9", ReleaseType.Minor, "2026-01-15 08:00", ("unverified", "2026-01-15 09:00"), ("verified", "2026-01-15 10:00"),
            ("rolling-out", "2026-01-15 12:00"), ("closed", "2026-01-16 10:00"));
        t7.Outcome = Outcome.Success;
        t7.Participations.Add(Part(alpha, "2026-01-15 12:00", "2026-01-16 09:00", 4));
        foreach (var t in new[] { t1, t2, t3, t4, t5, t6, t7 })
        {
            db.Tickets.Add(t);
            await db.SaveChangesAsync(); // one at a time so the numbers are #1..#7 in this order
            if (!stepTimes) continue;
            var times = new TicketStepTimes { TicketId = t.Id };
            foreach (var move in t.History.Where(h => h.What == "state")) times.Reached(TicketNames.Parse<TicketState>(move.To!), move.At);
            db.TicketStepTimes.Add(times);
            await db.SaveChangesAsync();
        }
    }

    private static Ticket Release(string component, string version, ReleaseType type, string created, params (string To, string At)[] moves)
    {
        var ticket = new Ticket
        {
            Component = component, Version = version, Stack = "glite", Type = type, ProviderId = "u-prov", ProviderName = "Prov",
            NotesUrl = $"https://rel.example.org/{component}/{version}", CreatedAt = At(created), UpdatedAt = At(moves[^1].At),
            State = TicketNames.Parse<TicketState>(moves[^1].To),
        };
        var from = "certified";
        ticket.History.Add(TicketHistory.Of(new TicketOpened(), new Actor("u-prov", "Prov"), At(created)));
        foreach (var (to, at) in moves)
        {
            ticket.History.Add(TicketHistory.Of(new StateMoved(TicketNames.Parse<TicketState>(from), TicketNames.Parse<TicketState>(to)), new Actor("u-x", "X"), At(at)));
            from = to;
        }
        return ticket;
    }

    private static Participation Part(Site site, string accepted, string? done, double? hours) => new()
    {
        SiteId = site.Id, SiteName = site.Name, AcceptedBy = "u-admin", AcceptedByName = "Admin", AcceptedAt = At(accepted),
        DoneAt = done is null ? null : At(done), Outcome = done is null ? null : Outcome.Success, Hours = hours,
    };

    public Task GrantAsync(string userId, Role role) => DbAsync(async db =>
    {
        db.RoleGrants.Add(new RoleGrant { UserId = userId, Role = role, GrantedBy = Coordinator, GrantedAt = Now });
        await db.SaveChangesAsync();
    });

    public Task BulletinAsync(string text) => DbAsync(async db =>
    {
        db.BulletinPosts.Add(new BulletinPost { Meeting = "Operations meeting", MeetingAt = At("2026-02-23 15:00"), Channel = "operations", Text = text, CreatedAt = At("2026-02-23 13:00") });
        await db.SaveChangesAsync();
    });
}
