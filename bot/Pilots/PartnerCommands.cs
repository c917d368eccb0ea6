using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary>
/// <c>/partner set|withdraw</c> (the site's admins or a coordinator) and <c>/partners</c> (everyone): the bins the
/// coordinators pick pilot sites from (seed 001 §4.1). "set" makes the site's levels exactly the ones named, so it
/// registers, changes and (by leaving a level out) withdraws in one sentence.
/// </summary>
public static class PartnerCommands
{
    private static readonly string[] Usage =
    [
        "/partner set site=… levels=gold[,platinum] [interest=\"…\"]",
        "/partner withdraw site=… [level=gold] [reason=\"…\"]",
    ];

    public static readonly CommandDefinition Partner = new("partner", "Site admin", Usage,
        "register, change or withdraw your site's pilot partner levels (silver, gold, platinum)", Writes: true, HandleAsync);

    public static readonly CommandDefinition List = new("partners", "Everyone", ["/partners [level=gold]"],
        "pilot partner sites by level, with time zone, components and current pilots", Writes: false, ListAsync);

    private static async Task<Reply> HandleAsync(CommandSession s) => s.Command.Verb switch
    {
        "set" => await SetAsync(s),
        "withdraw" => await WithdrawAsync(s),
        var verb => Refusals.Problem(verb is null ? "Say what to do: `set` or `withdraw`." : $"`/partner {verb}` is not a thing I do.", Usage, "/partner"),
    };

    /// <summary>The site named by site=, when the caller may change its registration; otherwise the problem is on <paramref name="input"/>.</summary>
    private static async Task<(Site? Site, Reply? Refused)> SiteAsync(CommandSession s, CommandInput input)
    {
        var name = input.Required("site", "the site's name (`/sites` lists them)");
        if (name.Length == 0) return (null, null);
        var site = await Sites.FindAsync(s.Db, name, s.Ct);
        if (site is null)
        {
            input.Problem($"I know no site named **{name}**. `/sites` lists them; a new site asks with `/join … level=gold`.");
            return (null, null);
        }
        if (!s.Caller.IsCoordinator && !s.Caller.IsAdminOf(site.Id))
            return (null, Refusals.Role(s.Caller, $"the admins of {site.Name} or coordinators", $"change {site.Name}'s partner levels"));
        return (site, null);
    }

    private static async Task<Reply> SetAsync(CommandSession s)
    {
        var input = new CommandInput(s.Command, "site", "levels", "level", "interest");
        var (site, refused) = await SiteAsync(s, input);
        if (refused is not null) return refused;
        var levelsText = input.Optional("levels") ?? input.Optional("level");
        var levels = new List<PartnerLevel>();
        if (levelsText is null) input.Problem($"`levels=` is missing: give one or more of {Sites.Levels}, e.g. `levels=gold,platinum`.");
        else
        {
            (levels, var unknown) = Partners.ParseLevels(levelsText);
            if (unknown.Count > 0) input.Problem($"{string.Join(", ", unknown.Select(u => $"`{u}`"))} is not a partner level: {Sites.Levels}.");
            else if (levels.Count == 0) input.Problem($"Name at least one level ({Sites.Levels}); `/partner withdraw` withdraws them all.");
        }
        var interest = input.Optional("interest");
        if (!input.IsValid) return input.Refusal(Usage, "/partner set");

        var active = await Partners.Active(s.Db).Where(p => p.SiteId == site!.Id).ToListAsync(s.Ct);
        var added = levels.Where(l => active.All(p => p.Level != l)).ToList();
        var dropped = active.Where(p => !levels.Contains(p.Level)).ToList();
        var kept = active.Where(p => levels.Contains(p.Level)).ToList();
        foreach (var p in dropped) p.Withdraw("changed with /partner set", s.Actor, s.Now);
        foreach (var level in added) s.Db.Partnerships.Add(Partnership.Register(site!.Id, level, interest, s.Actor, s.Now));
        if (interest is not null) foreach (var p in kept) p.Interest = interest;
        if (added.Count == 0 && dropped.Count == 0 && interest is null)
            return Reply.No($"**{site!.Name}** is already registered as {string.Join(", ", levels.Select(Partners.Name))}; nothing changed.");

        var parts = new List<string>();
        if (added.Count > 0) parts.Add("registered " + string.Join(", ", added.Select(Partners.Name)));
        if (dropped.Count > 0) parts.Add("withdrawn " + Partners.Describe(dropped));
        if (interest is not null) parts.Add($"interest: {interest}");
        return $"**{site!.Name}** pilot partner levels: {string.Join("; ", parts)}. Now {string.Join(", ", levels.Select(Partners.Name))} " +
            $"(by {s.Caller.Name}). Coordinators look for pilot sites in these bins (`/partners`).";
    }

    private static async Task<Reply> WithdrawAsync(CommandSession s)
    {
        var input = new CommandInput(s.Command, "site", "level", "reason");
        var (site, refused) = await SiteAsync(s, input);
        if (refused is not null) return refused;
        PartnerLevel? level = null;
        if (input.Optional("level") is { } text)
        {
            if (Sites.TryParseLevel(text, out var parsed)) level = parsed;
            else input.Problem($"`level={text}` is not a partner level: {Sites.Levels}.");
        }
        if (!input.IsValid) return input.Refusal(Usage, "/partner withdraw");
        var active = await Partners.Active(s.Db).Where(p => p.SiteId == site!.Id).ToListAsync(s.Ct);
        var going = active.Where(p => level is null || p.Level == level).ToList();
        if (going.Count == 0)
            return Reply.No(level is null ? $"**{site!.Name}** is not a pilot partner at any level." : $"**{site!.Name}** is not a {Partners.Name(level.Value)} partner.");
        var reason = input.Optional("reason");
        foreach (var p in going) p.Withdraw(reason, s.Actor, s.Now);
        var left = active.Except(going).ToList();
        return $"**{site!.Name}** withdrew as {Partners.Describe(going)} partner{(reason is null ? "" : $" ({reason})")}. " +
            (left.Count == 0 ? "It is no pilot partner now." : $"Still: {Partners.Describe(left)}.");
    }

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        PartnerLevel? only = null;
        if (s.Command.Get("level") is { } text)
        {
            if (!Sites.TryParseLevel(text, out var parsed)) return Reply.No($"`level={text}` is not a partner level: {Sites.Levels}.");
            only = parsed;
        }
        var partners = await Partners.Active(s.Db).AsNoTracking().Include(p => p.Site).ToListAsync(s.Ct);
        if (partners.Count == 0)
            return "No pilot partner sites yet. A site's admin registers with `/partner set site=… levels=gold interest=\"…\"`.";
        var siteIds = partners.Select(p => p.SiteId).Distinct().ToList();
        var commitments = (await s.Db.Commitments.AsNoTracking().Where(c => c.EndedAt == null && siteIds.Contains(c.SiteId)).ToListAsync(s.Ct))
            .ToLookup(c => c.SiteId);
        var load = await PilotQueries.LoadBySiteAsync(s.Db, s.Ct);
        var text2 = new StringBuilder("**Pilot partner sites** (seed 001: the bins pilot sites are found in)\n");
        foreach (var level in Enum.GetValues<PartnerLevel>().Where(l => only is null || l == only))
        {
            var bin = partners.Where(p => p.Level == level).OrderBy(p => p.Site!.Name, StringComparer.OrdinalIgnoreCase).ToList();
            text2.Append($"\n**{level}** — {Partners.Purpose(level)} ({bin.Count})\n");
            if (bin.Count == 0) text2.Append("- none yet\n");
            foreach (var p in bin)
            {
                var components = commitments[p.SiteId].Select(c => c.Component).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
                text2.Append($"- **{p.Site!.Name}** ({p.Site.TimeZone ?? "coordinators' time zone"}); components: " +
                    $"{(components.Count == 0 ? "none" : string.Join(", ", components))}; pilots now: {load.GetValueOrDefault(p.SiteId)}" +
                    $"{(p.Interest is null ? "" : $"; interest: {p.Interest}")}\n");
            }
        }
        return text2.ToString();
    }

    /// <summary>Registers the level a join request asked for, when the site does not hold it yet (approval of <c>/join … level=</c>).</summary>
    public static async Task<string?> RegisterFromJoinAsync(RolloutDb db, Site site, PartnerLevel level, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        if (site.Id != 0 && await Partners.Active(db).AnyAsync(p => p.SiteId == site.Id && p.Level == level, ct)) return null;
        db.Partnerships.Add(new Partnership
        {
            Site = site, Level = level, Interest = "asked when joining", RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = now,
        });
        return $"registered as {Partners.Name(level)} pilot partner";
    }
}
