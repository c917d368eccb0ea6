using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Metrics;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Status;

/// <summary>
/// The metrics read hand-written SQL tuned for speed (enum names turned into numbers in SQL, the component and provider
/// read only for restricted releases). Over a few hundred random releases on top of <see cref="SeededHistory"/>, the
/// report must be exactly the one computed the straightforward way from the entities through EF, for every kind of
/// viewer, with a holiday added later and after a state move.
/// </summary>
public abstract class MetricsEquivalenceCases
{
    protected abstract Task<SeededHistory> StartAsync();

    private static readonly Caller Anyone = new("u-anyone", "Anyone", new HashSet<Role>(), new HashSet<long>(), new HashSet<string>());
    private static readonly Caller CoordinatorCaller = new(SeededHistory.Coordinator, "Coord", new HashSet<Role> { Role.Coordinator }, new HashSet<long>(), new HashSet<string>());
    private static readonly Caller DpmAdmin = new(SeededHistory.Bob, "Bob", new HashSet<Role>(), new HashSet<long>(), new HashSet<string> { "dpm" });
    private static readonly Caller Provider = new("u-prov-7", "Prov 7", new HashSet<Role>(), new HashSet<long>(), new HashSet<string>());

    private static readonly MetricsPeriod Year = new(SeededHistory.At("2025-03-02 00:00"), SeededHistory.At("2026-03-03 00:00"), null);
    private static readonly MetricsPeriod February = new(SeededHistory.At("2026-02-01 00:00"), SeededHistory.At("2026-03-01 00:00"), null);

    private static readonly (string Name, Caller? Caller)[] Viewers = [("public", null), ("anyone", Anyone), ("coordinator", CoordinatorCaller), ("dpm admin", DpmAdmin), ("provider", Provider)];
    private static readonly MetricsPeriod[] Periods = [Year, February, Year with { Stack = "umd" }, February with { Stack = "glite" }];

    [Fact]
    public async Task Report_EqualsTheStraightforwardComputation_ForEveryViewerAndPeriod()
    {
        using var world = await StartAsync();
        await SeedRandomAsync(world);
        var checkedRestricted = await AssertAllEqualAsync(world);
        Assert.True(checkedRestricted > 0, "the random history must hold restricted acceptances for the check to mean anything");
    }

    [Fact]
    public async Task Report_EqualsTheStraightforwardComputation_AfterAHolidayAndAStateMove()
    {
        using var world = await StartAsync();
        await SeedRandomAsync(world);
        var before = Json(await world.App.Services.GetRequiredService<MetricsService>().BuildAsync(February, MetricsService.Public));

        // Holidays added later count for deadlines already past: 3-5 February in Zurich, under #1's steps.
        await world.DbAsync(async db =>
        {
            foreach (var day in new[] { 3, 4, 5 })
                db.Holidays.Add(new Holiday { Date = new DateOnly(2026, 2, day), Name = $"Test day {day}", AddedBy = SeededHistory.Coordinator, AddedAt = SeededHistory.Now });
            await db.SaveChangesAsync();
        });
        var withHolidays = Json(await world.App.Services.GetRequiredService<MetricsService>().BuildAsync(February, MetricsService.Public));
        Assert.NotEqual(before, withHolidays);
        await AssertAllEqualAsync(world);

        // A state move (#5 argus, verified, is closed) shows up in the next report.
        await world.DbAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Component == "argus" && t.Version == "4.0");
            ticket.State = TicketState.Closed;
            ticket.Outcome = Outcome.Success;
            var times = await db.TicketStepTimes.SingleAsync(s => s.TicketId == ticket.Id);
            times.Reached(TicketState.Closed, SeededHistory.At("2026-02-27 09:00"));
            await db.SaveChangesAsync();
        });
        var moved = Json(await world.App.Services.GetRequiredService<MetricsService>().BuildAsync(February, MetricsService.Public));
        Assert.NotEqual(withHolidays, moved);
        await AssertAllEqualAsync(world);
    }

    /// <summary>Compares every viewer and period; returns how many restricted acceptances the comparison covered.</summary>
    private static async Task<int> AssertAllEqualAsync(SeededHistory world)
    {
        var metrics = world.App.Services.GetRequiredService<MetricsService>();
        var restricted = 0;
        foreach (var period in Periods)
            foreach (var (name, caller) in Viewers)
            {
                var fast = await metrics.BuildAsync(period, caller is null ? MetricsService.Public : MetricsService.For(caller));
                MetricsReport slow = null!;
                await world.DbAsync(async db =>
                {
                    var calendar = await world.App.Services.GetRequiredService<WorkingCalendars>().ForChannelAsync(db);
                    (slow, var r) = await StraightforwardAsync(db, period, calendar, caller);
                    restricted += r;
                });
                Assert.True(Json(slow) == Json(fast), $"{name}, {period}: {Json(slow)}\n≠\n{Json(fast)}");
            }
        return restricted;
    }

    private static string Json(MetricsReport report) => JsonSerializer.Serialize(report);

    /// <summary>The report from the entities, with LINQ over lists: no hand-written SQL, no accumulators.</summary>
    private static async Task<(MetricsReport Report, int RestrictedParts)> StraightforwardAsync(RolloutDb db, MetricsPeriod period, WorkingCalendar calendar, Caller? caller)
    {
        bool MayName(bool restricted, string component, string provider) => Visibility.MaySee(caller, restricted, component, provider);
        var tickets = (await db.Tickets.AsNoTracking().ToListAsync()).Where(t => period.Stack is null || t.Stack == period.Stack).ToDictionary(t => t.Id);
        var steps = await db.TicketStepTimes.AsNoTracking().ToDictionaryAsync(s => s.TicketId);
        TicketStepTimes Steps(long id) => steps.GetValueOrDefault(id) ?? new TicketStepTimes { TicketId = id };

        var releases = tickets.Values
            .Where(t => t.CreatedAt >= period.From && t.CreatedAt < period.To && t.State != TicketState.Cancelled)
            .OrderBy(t => t.Id).ToList();
        var parts = (await db.Participations.AsNoTracking().ToListAsync())
            .Where(p => p.WithdrawnAt is null && p.AcceptedAt >= period.From && p.AcceptedAt < period.To && tickets.ContainsKey(p.TicketId))
            .OrderBy(p => p.Id).ToList();
        var visible = parts.Where(p => MayName(tickets[p.TicketId].IsRestricted, tickets[p.TicketId].Component, tickets[p.TicketId].ProviderId)).ToList();
        var committed = await MetricsRows.CommittedSitesAsync(db, period);
        var declined = (await db.SiteDeclines.AsNoTracking().ToListAsync())
            .Where(d => d.DeclinedAt >= period.From && d.DeclinedAt < period.To && (period.Stack is null || tickets.ContainsKey(d.TicketId)))
            .GroupBy(d => d.SiteName, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

        var siteNames = visible.Select(p => p.SiteName).Concat(committed.Select(c => c.Name)).Concat(declined.Keys)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var sites = siteNames.Select(name =>
            {
                var mine = visible.Where(p => string.Equals(p.SiteName, name, StringComparison.OrdinalIgnoreCase)).ToList();
                return new SiteMetrics(name, committed.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)), mine.Count,
                    mine.Sum(p => p.Hours ?? 0),
                    Median(mine.Where(p => p.DoneAt is not null).Select(p => (p.DoneAt!.Value - p.AcceptedAt).TotalHours)),
                    Median(mine.Select(p => (p.AcceptedAt, Steps(p.TicketId).VerifiedAt)).Where(x => x.VerifiedAt is { } v && v <= x.AcceptedAt)
                        .Select(x => (x.AcceptedAt - x.VerifiedAt!.Value).TotalHours)),
                    declined.GetValueOrDefault(name));
            })
            .OrderByDescending(s => s.Tickets).ThenBy(s => s.Site, StringComparer.OrdinalIgnoreCase).ToList();

        bool Rejected(Ticket t) => t.State == TicketState.Rejected || t.Outcome == Outcome.Reject;
        var components = releases
            .GroupBy(t => !t.IsRestricted || MayName(true, t.Component, t.ProviderId) ? t.Component : MetricsReport.RestrictedLabel, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ComponentMetrics(g.Key, g.Count(), g.Count(Rejected), g.Count(t => t.Outcome == Outcome.Warning)))
            .OrderByDescending(c => c.Releases).ThenBy(c => c.Component, StringComparer.OrdinalIgnoreCase).ToList();
        var months = releases.GroupBy(t => t.CreatedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)).OrderBy(g => g.Key)
            .Select(g => new MonthMetrics(g.Key, g.Count(t => t.Outcome == Outcome.Success), g.Count(t => t.Outcome == Outcome.Warning),
                g.Count(Rejected), g.Count(t => !Rejected(t) && t.Outcome is null)))
            .ToList();

        var stepMetrics = new List<StepMetrics>();
        foreach (var type in Enum.GetValues<ReleaseType>())
            for (var step = 1; step <= MetricsReport.StepCount; step++)
            {
                var spans = new List<(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Due)>();
                foreach (var t in releases.Where(t => t.Type == type))
                {
                    var s = Steps(t.Id);
                    (DateTimeOffset, DateTimeOffset)? span = step switch
                    {
                        1 when s.UnverifiedAt is { } end => (t.CreatedAt, end),
                        2 when s.UnverifiedAt is { } start && s.VerifiedAt is { } end => (start, end),
                        3 when s.VerifiedAt is { } start && s.ClosedAt is { } end => (start, end),
                        4 when s.ClosedAt is { } end => (t.CreatedAt, end),
                        _ => null,
                    };
                    if (span is not { } x) continue;
                    spans.Add((x.Item1, x.Item2, ReleaseTimelines.Table3[type.ToName()].Due((TimelineStep)step, x.Item1, calendar)));
                }
                stepMetrics.Add(new StepMetrics(step, type.ToName(), spans.Count, spans.Count(x => x.End <= x.Due),
                    Median(spans.Select(x => (x.End - x.Start).TotalHours)), Median(spans.Select(x => (x.Due - x.Start).TotalHours))));
            }

        var report = new MetricsReport(period, committed.Count, visible.Select(p => p.SiteId).Distinct().Count(), releases.Count,
            releases.Count(t => t.IsRestricted), sites, components, stepMetrics, months)
        {
            PilotCredits = await Rollout.Bot.Pilots.PilotCredits.TotalsAsync(db, period.From, period.To, default),
        };
        return (report, parts.Count(p => tickets[p.TicketId].IsRestricted));
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// 300 releases over the year before <see cref="SeededHistory.Now"/> on two stacks, every type, state and outcome,
    /// one in ten with an advisory (half of those disclosed), acceptances by the three sites, some withdrawn.
    /// </summary>
    private static Task SeedRandomAsync(SeededHistory world) => world.DbAsync(async db =>
    {
        var random = new Random(16);
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
        string[] components = ["cream", "dpm", "storm", "argus", "apel"];
        var start = SeededHistory.At("2025-02-01 00:00");
        for (var i = 0; i < 300; i++)
        {
            var created = start.AddMinutes(random.Next(60 * 24 * 390));
            var unverified = created.AddMinutes(random.Next(60 * 30));
            var verified = unverified.AddMinutes(random.Next(60 * 24 * 8));
            var closed = verified.AddMinutes(random.Next(60 * 24 * 20));
            var fate = random.Next(6); // 0 certified, 1 unverified, 2 verified/rolling out, 3 closed, 4 rejected, 5 cancelled
            var ticket = new Ticket
            {
                Component = components[random.Next(components.Length)], Version = $"r{i}", Stack = random.Next(3) == 0 ? "umd" : "glite",
                Type = Enum.GetValues<ReleaseType>()[random.Next(Enum.GetValues<ReleaseType>().Length)],
                ProviderId = $"u-prov-{random.Next(10)}", ProviderName = "Prov", NotesUrl = $"https://rel.example.org/r{i}",
                CreatedAt = created, UpdatedAt = closed,
                State = fate switch { 0 => TicketState.Certified, 1 => TicketState.Unverified, 2 => TicketState.RollingOut, 3 => TicketState.Closed, 4 => TicketState.Rejected, _ => TicketState.Cancelled },
                Outcome = fate == 3 ? (random.Next(4) == 0 ? Outcome.Warning : Outcome.Success) : fate == 4 && random.Next(2) == 0 ? Outcome.Reject : null,
            };
            if (random.Next(10) == 0)
            {
                ticket.SecurityAdvisoryUrl = $"https://advisories.example.org/r{i}";
                if (random.Next(2) == 0) ticket.DisclosedAt = closed;
            }
            if (fate >= 2 && fate != 4)
                foreach (var site in sites.Where(_ => random.Next(2) == 0))
                {
                    var accepted = verified.AddMinutes(random.Next(-60, 60 * 24 * 3)); // now and then before verification (an import)
                    var done = random.Next(3) == 0 ? (DateTimeOffset?)null : accepted.AddMinutes(random.Next(60 * 24 * 6));
                    ticket.Participations.Add(new Participation
                    {
                        SiteId = site.Id, SiteName = site.Name, AcceptedBy = "u-admin", AcceptedByName = "Admin", AcceptedAt = accepted, DoneAt = done,
                        Outcome = done is null ? null : Outcome.Success, Hours = done is null ? null : random.Next(40) / 4.0,
                        WithdrawnAt = random.Next(12) == 0 ? accepted.AddHours(1) : null, WithdrawnBy = null,
                    });
                }
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
            var times = new TicketStepTimes { TicketId = ticket.Id };
            if (fate >= 1) times.Reached(TicketState.Unverified, unverified);
            if (fate is 2 or 3) times.Reached(TicketState.Verified, verified);
            if (fate == 3) times.Reached(TicketState.Closed, closed);
            if (fate == 4) times.Reached(TicketState.Rejected, verified);
            db.TicketStepTimes.Add(times);
            if (random.Next(8) == 0)
                db.SiteDeclines.Add(new SiteDecline { TicketId = ticket.Id, SiteId = sites[0].Id, SiteName = sites[0].Name, DeclinedBy = "u-admin", DeclinedByName = "Admin", Reason = "not this time", DeclinedAt = created.AddHours(3) });
            await db.SaveChangesAsync();
        }
    });
}

public sealed class MetricsEquivalenceTests : MetricsEquivalenceCases
{
    protected override async Task<SeededHistory> StartAsync()
    {
        var world = new SeededHistory(new() { ["Metrics:CacheSeconds"] = "0" });
        await world.DbAsync(db => SeededHistory.SeedAsync(db, stepTimes: true));
        return world;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMetricsEquivalenceTests(PostgresServer postgres) : MetricsEquivalenceCases
{
    protected override async Task<SeededHistory> StartAsync()
    {
        var world = new SeededHistory(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync(),
            ["Metrics:CacheSeconds"] = "0",
        });
        await world.DbAsync(db => SeededHistory.SeedAsync(db, stepTimes: true));
        return world;
    }
}
