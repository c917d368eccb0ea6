using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Effort and credits (seed 001: "the work performed upon completion", 1 credit = 1 PH). Each step writes the default
/// effort of its task when it happens (a reaction to the pilot's typed changes); <c>/pilot effort</c> reports the actual
/// effort, which counts instead of the default.
/// </summary>
public sealed class PilotCredits(PilotsOptions options, WorkingCalendars calendars)
{
    public static IServiceCollection AddPilotCredits(IServiceCollection services)
    {
        services.AddSingleton(sp => new PilotCredits(sp.Options<PilotsOptions>(), sp.Get<WorkingCalendars>()));
        services.AddReaction<Pilot, PilotMoved>("pilots: effort of each step", sp => sp.Get<PilotCredits>().OnMovedAsync);
        services.AddReaction<Pilot, KickOffSet>("pilots: effort of organising the kick-off", sp => (ctx, p, _) => sp.Get<PilotCredits>().AddAsync(ctx, p,
            PilotTasks.OrganiseKickOff, PilotEffort.PilotCoordinator, p.CoordinatorName ?? ctx.By.Name, null));
        services.AddReaction<Pilot, SiteSetUp>("pilots: effort of a site's set-up", sp => (ctx, p, c) => sp.Get<PilotCredits>().AddAsync(ctx, p,
            PilotTasks.SetUp, PilotEffort.Site, c.Site, c.SiteId));
        services.AddReaction<Pilot, PostMortemFiled>("pilots: effort of a post-mortem", sp => (ctx, p, c) => sp.Get<PilotCredits>().AddAsync(ctx, p,
            PilotTasks.PostMortem, PilotEffort.Site, c.Site, c.SiteId));
        return services;
    }

    private async Task OnMovedAsync(ReactionContext ctx, Pilot p, PilotMoved move)
    {
        var lead = p.CoordinatorName ?? ctx.By.Name;
        var sites = p.Sites(ParticipantState.Accepted).ToList();
        var vos = p.Vos(ParticipantState.Accepted).ToList();
        switch (move.To)
        {
            case PilotState.Screened:
                await AddAsync(ctx, p, PilotTasks.PreScreen, PilotEffort.Coordinator, ctx.By.Name, null);
                break;
            case PilotState.SettingUp:
                foreach (var site in sites)
                {
                    await AddAsync(ctx, p, PilotTasks.Instruct, PilotEffort.PilotCoordinator, $"{lead} for {site.Name}", null);
                    await AddAsync(ctx, p, PilotTasks.KickOff, PilotEffort.Site, site.Name, site.SiteId);
                }
                await AddAsync(ctx, p, PilotTasks.KickOff, PilotEffort.PilotCoordinator, lead, null);
                foreach (var vo in vos) await AddAsync(ctx, p, PilotTasks.KickOff, PilotEffort.Vo, vo.Name, null);
                break;
            case PilotState.Production or PilotState.Abandoned or PilotState.Prolonged:
                await AddAsync(ctx, p, PilotTasks.WrapUp, PilotEffort.PilotCoordinator, lead, null);
                foreach (var site in sites.Where(x => x.SetUpAt is not null))
                {
                    await AddAsync(ctx, p, PilotTasks.WrapUp, PilotEffort.Site, site.Name, site.SiteId);
                    await ServiceManagerAsync(ctx, p, site);
                }
                foreach (var vo in vos) await AddAsync(ctx, p, PilotTasks.WrapUp, PilotEffort.Vo, vo.Name, null);
                break;
        }
    }

    /// <summary>One week of service manager per week the site carried the pilot, from the start of set-up to the end of its run.</summary>
    private async Task ServiceManagerAsync(ReactionContext ctx, Pilot p, PilotParticipant site)
    {
        var calendar = await calendars.ForSiteAsync(ctx.Db, site.SiteId!.Value, ctx.Ct);
        var end = site.RunEndsAt is { } e && e < ctx.Now ? e : ctx.Now;
        var days = calendar.WorkingDaysBetween(calendar.ToLocal(p.StartedAt ?? site.SetUpAt!.Value).Date, calendar.ToLocal(end).Date);
        var weeks = Math.Max(1, (int)Math.Ceiling(days / 5m));
        await AddAsync(ctx, p, PilotTasks.ServiceManager, PilotEffort.Site, site.Name, site.SiteId, weeks * options.Hours(PilotTasks.ServiceManager), replace: true);
    }

    public async Task AddAsync(ReactionContext ctx, Pilot p, string task, string role, string party, long? siteId, decimal? hours = null, bool replace = false)
    {
        var existing = ctx.Db.PilotEffort.Local.FirstOrDefault(x => x.PilotId == p.Id && x.Task == task && x.Party == party)
            ?? await ctx.Db.PilotEffort.FirstOrDefaultAsync(x => x.PilotId == p.Id && x.Task == task && x.Party == party, ctx.Ct);
        if (existing is not null)
        {
            if (replace) existing.DefaultHours = hours ?? options.Hours(task);
            return;
        }
        ctx.Db.PilotEffort.Add(new PilotEffort
        {
            PilotId = p.Id, Task = task, Role = role, Party = party, SiteId = siteId, DefaultHours = hours ?? options.Hours(task), At = ctx.Now,
        });
    }

    /// <summary><c>/pilot effort P1 task=set-up hours=10 site=…</c>: the actual effort of a task, replacing its default.</summary>
    public static async Task<Reply> ReportAsync(CommandSession s)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var input = new CommandInput(s.Command, "task", "hours", "site", "vo", "user");
        var task = input.Required("task", PilotTasks.Names);
        if (task.Length > 0 && !PilotTasks.Table.ContainsKey(task)) input.Problem($"`task={task}` is not a pilot task: {PilotTasks.Names}.");
        var hoursText = input.Required("hours", "the person-hours spent (PD = 8 PH), like `hours=10`");
        if (hoursText.Length > 0 && (!decimal.TryParse(hoursText, NumberStyles.Number, CultureInfo.InvariantCulture, out var h) || h < 0 || h > 2000))
            input.Problem($"`hours={hoursText}` must be a number of person-hours from 0 to 2000.");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot effort");
        var hours = decimal.Parse(hoursText, CultureInfo.InvariantCulture);
        task = task.ToLowerInvariant();

        string role, party;
        long? siteId = null;
        if (input.Optional("site") is { } siteName)
        {
            var (site, refused) = PilotCommand.SiteOf(s, pilot, siteName, "report a site's effort");
            if (site is null) return refused!;
            (role, party, siteId) = (task == PilotTasks.ServiceExpert ? PilotEffort.Expert : PilotEffort.Site, site.Name, site.SiteId);
        }
        else if (input.Optional("vo") is { } voName)
        {
            var (vo, refused) = PilotCommand.VoOf(s, pilot, voName, "report a VO's effort");
            if (vo is null) return refused!;
            (role, party) = (PilotEffort.Vo, vo.Name);
        }
        else
        {
            if (PilotCommand.RequireLead(s, pilot, "report coordination effort") is { } refused) return refused;
            var existing = await s.Db.PilotEffort.Where(x => x.PilotId == pilot.Id && x.Task == task).ToListAsync(s.Ct);
            var mine = existing.FirstOrDefault(x => x.Role is PilotEffort.Coordinator or PilotEffort.PilotCoordinator);
            role = mine?.Role ?? (task == PilotTasks.PreScreen ? PilotEffort.Coordinator : task == PilotTasks.ServiceExpert ? PilotEffort.Expert : PilotEffort.PilotCoordinator);
            party = mine?.Party ?? input.Optional("user") ?? s.Caller.Name;
        }
        var row = await s.Db.PilotEffort.FirstOrDefaultAsync(x => x.PilotId == pilot.Id && x.Task == task && x.Party == party, s.Ct);
        if (row is null)
            s.Db.PilotEffort.Add(row = new PilotEffort { PilotId = pilot.Id, Task = task, Role = role, Party = party, SiteId = siteId, DefaultHours = 0, At = s.Now });
        row.ActualHours = hours;
        pilot.Note(new EffortReported(task, party, hours), s.Actor, s.Now);
        return $"{pilot.Number}: {party} spent {hours.ToString("0.##", CultureInfo.InvariantCulture)} PH on {task} " +
            $"({PilotTasks.Table[task].What}); that counts instead of the default {row.DefaultHours.ToString("0.##", CultureInfo.InvariantCulture)} PH.";
    }

    /// <summary>The credits earned in a period (effort rows written in it), per site, per pilot and per role.</summary>
    public static async Task<PilotCreditTotals> TotalsAsync(RolloutDb db, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = db.PilotEffort.AsNoTracking();
        if (from is { } f) query = query.Where(e => e.At >= f);
        if (to is { } t) query = query.Where(e => e.At < t);
        var rows = await query.ToListAsync(ct);
        static IReadOnlyList<Credit> Sum(IEnumerable<IGrouping<string, PilotEffort>> groups) =>
            groups.Select(g => new Credit(g.Key, g.Sum(e => e.Credits))).OrderByDescending(c => c.Credits).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new PilotCreditTotals(rows.Sum(e => e.Credits),
            Sum(rows.Where(e => e.SiteId is not null).GroupBy(e => e.Party)),
            Sum(rows.GroupBy(e => $"P{e.PilotId}")),
            Sum(rows.GroupBy(e => e.Role)));
    }
}

/// <summary>Credits (1 credit = 1 PH of effort, seed 001) in a period: what /metrics, /api/metrics and /status show.</summary>
public sealed record PilotCreditTotals(decimal Total, IReadOnlyList<Credit> BySite, IReadOnlyList<Credit> ByPilot, IReadOnlyList<Credit> ByRole)
{
    public static string Format(decimal credits) => credits.ToString("0.##", CultureInfo.InvariantCulture);
}

public sealed record Credit(string Name, decimal Credits);
