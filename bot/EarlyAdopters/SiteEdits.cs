using Rollout.Bot.Cards;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// Corrections to the registry (issue 13: it was add-only): rename a site, change its stack or time zone (partner levels
/// are the pilots' registry: <c>/partner</c>), remove
/// an admin, remove a site; and <c>/site show</c>, which reads the registry history back. Each change is a
/// <see cref="RegistryChange"/> with who, when, from → to.
/// </summary>
public static class SiteEdits
{
    private static readonly string[] Cleared = ["none", "-"];

    public static async Task<Reply> EditAsync(CommandSession s, RolloutOptions options)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "rename", "stack", "tz");
        var site = await SiteAsync(s, input);
        var rename = input.Optional("rename");
        var stack = input.Optional("stack") is { } stackText ? Stack(input, options, stackText) : null;
        if (s.Command.Get("level") is not null)
            input.Problem("Partner levels are kept with the pilots' registry, with their history: `/partner set site=… levels=…`.");
        var tzText = input.Optional("tz");
        var tz = tzText is null || IsCleared(tzText) ? null : TimeZone(input, tzText);
        if (rename is null && stack is null && tzText is null && s.Command.Get("level") is null)
            input.Problem("Say what to change: `rename=`, `stack=` or `tz=` (`tz=none`: the coordinators' time zone).");
        if (rename is not null && Sites.NameProblem(rename) is { } badName) input.Problem($"`rename=`: {badName}.");
        else if (site is not null && rename is not null && await Sites.FindAsync(db, rename, s.Ct) is { } other && other.Id != site.Id)
            input.Problem($"A site named **{CardText.Escape(other.Name)}** already exists.");
        if (!input.IsValid) return input.Refusal(SiteCommands.SiteUsage, "/site edit");

        var changed = new List<string>();
        void Change(string what, string? from, string? to, Action apply)
        {
            if (from == to) return;
            RegistryLog.Record(db, site!, s.Actor, s.Now, what, from, to);
            changed.Add($"{what} {from ?? "not set"} → {to ?? "not set"}");
            apply();
        }
        if (rename is not null) Change("renamed", site!.Name, rename, () => site.Name = rename);
        if (stack is not null) Change("stack", site!.Stack, stack, () => site.Stack = stack);
        if (tzText is not null) Change("time zone", site!.TimeZone, tz, () => site.TimeZone = tz);
        if (changed.Count == 0) return Reply.No($"**{site!.Name}** already has those values: nothing changed.");
        return $"**{site!.Name}**: {string.Join("; ", changed)}. `/site show name={SiteCommands.Quote(site.Name)}` keeps the history.";
    }

    public static async Task<Reply> UnadminAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "user", "reason");
        var site = await SiteAsync(s, input);
        var userId = input.Required("user", "the admin's chat user id");
        var admin = site is null || userId.Length == 0 ? null
            : await db.SiteAdmins.FirstOrDefaultAsync(a => a.SiteId == site.Id && a.UserId == userId && a.RemovedAt == null, s.Ct);
        if (site is not null && userId.Length > 0 && admin is null) input.Problem($"{userId} is not an admin of **{site.Name}**.");
        if (!input.IsValid) return input.Refusal(SiteCommands.SiteUsage, "/site unadmin");

        admin!.RemovedAt = s.Now;
        RegistryLog.Record(db, site!, s.Actor, s.Now, "admin removed", $"{admin.Name} ({userId})", null, input.Optional("reason"));
        var left = await db.SiteAdmins.CountAsync(a => a.SiteId == site!.Id && a.RemovedAt == null && a.Id != admin.Id, s.Ct);
        return $"{admin.Name} ({userId}) is no longer an admin of **{site!.Name}**." +
            (left == 0 ? " The site has no admin left: nobody hears of its releases until `/site admin` adds one." : "");
    }

    /// <summary>
    /// A site taking part in an open ticket is not removed (its report is awaited: withdraw it first). Otherwise its
    /// commitments end and its admins are removed with it; its past participations and history stay.
    /// </summary>
    public static async Task<Reply> RemoveAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "reason");
        var site = await SiteAsync(s, input);
        var reason = input.Required("reason", "why the site leaves, for its history");
        if (site is not null)
        {
            var open = TicketStates.Open;
            var taking = await db.Participations.AsNoTracking()
                .Where(p => p.SiteId == site.Id && p.WithdrawnAt == null && p.DoneAt == null)
                .Join(db.Tickets.Where(t => open.Contains(t.State)), p => p.TicketId, t => t.Id, (p, t) => t.Id).OrderBy(id => id).ToListAsync(s.Ct);
            if (taking.Count > 0)
                input.Problem($"**{site.Name}** takes part in {string.Join(", ", taking.Select(id => $"#{id}"))} and has not reported: " +
                    $"`/withdraw #{taking[0]} site={SiteCommands.Quote(site.Name)} reason=\"…\"` first.");
        }
        if (!input.IsValid) return input.Refusal(SiteCommands.SiteUsage, "/site remove");

        var commitments = await db.Commitments.Where(c => c.SiteId == site!.Id && c.EndedAt == null).ToListAsync(s.Ct);
        foreach (var c in commitments) c.EndedAt = s.Now;
        var admins = await db.SiteAdmins.Where(a => a.SiteId == site!.Id && a.RemovedAt == null).ToListAsync(s.Ct);
        foreach (var a in admins) a.RemovedAt = s.Now;
        site!.RemovedAt = s.Now;
        RegistryLog.Record(db, site, s.Actor, s.Now, "site removed", site.Name, null, reason);
        return $"**{site.Name}** is removed ({reason}). " +
            $"Commitments ended: {(commitments.Count == 0 ? "none" : string.Join(", ", commitments.Select(c => Sites.Describe(c.Component, c.Os, c.Arch))))}; " +
            $"admins removed: {(admins.Count == 0 ? "none" : string.Join(", ", admins.Select(a => a.Name)))}. " +
            "Its past staged rollouts stay in the tickets, and `/site show` still shows its history.";
    }

    /// <summary>A site as the registry has it, with its history (a removed site too, so what happened to it can be read).</summary>
    public static async Task<Reply> ShowAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name");
        var name = input.Required("name", "the site name");
        if (!input.IsValid) return input.Refusal(SiteCommands.SiteUsage, "/site show");
        var key = Sites.Key(name);
        var site = await Sites.FindAsync(db, name, s.Ct)
            ?? await db.Sites.AsNoTracking().Where(x => x.NameKey == key).OrderByDescending(x => x.RemovedAt).FirstOrDefaultAsync(s.Ct);
        if (site is null) return Reply.No($"I know no site named **{CardText.Escape(name)}**. `/sites` lists them.");

        var showEmail = s.Caller.IsCoordinator;
        var admins = await db.SiteAdmins.AsNoTracking().Where(a => a.SiteId == site.Id && a.RemovedAt == null).ToListAsync(s.Ct);
        var commitments = await db.Commitments.AsNoTracking().Where(c => c.SiteId == site.Id && c.EndedAt == null).OrderBy(c => c.Component).ToListAsync(s.Ct);
        var levels = (await Pilots.Partners.BySiteAsync(db, s.Ct))[site.Id].ToList();
        var text = new StringBuilder($"**{CardText.Escape(site.Name)}** — {CardText.Escape(site.Stack)}");
        if (levels.Count > 0) text.Append(", ").Append(Pilots.Partners.Describe(levels)).Append(" partner");
        text.Append(", time zone ").Append(CardText.Escape(site.TimeZone) is { Length: > 0 } zone ? zone : "the coordinators'");
        if (site.RemovedAt is { } removed) text.Append($" — **removed** {TicketCommand.When(removed)}");
        text.Append("\n- admins: ").Append(Admins(admins, showEmail));
        text.Append("\n- committed to: ").Append(commitments.Count == 0 ? "nothing" : string.Join(", ", commitments.Select(c => CardText.Escape(Sites.Describe(c.Component, c.Os, c.Arch)))));
        text.Append($"\n- registered {TicketCommand.When(site.CreatedAt)}\n\n**Registry history**\n");
        var history = await RegistryLog.OfAsync(db, site.Id, s.Ct);
        if (history.Count == 0) text.Append("- nothing recorded since it was registered\n");
        foreach (var change in history) text.Append(RegistryLog.Line(change, showEmail)).Append('\n');
        return text.ToString().TrimEnd();
    }

    private static async Task<Site?> SiteAsync(CommandSession s, CommandInput input)
    {
        var name = input.Required("name", "the site name");
        if (name.Length == 0) return null;
        var site = await Sites.FindAsync(s.Db, name, s.Ct);
        if (site is null) input.Problem($"I know no site named **{CardText.Escape(name)}**. `/sites` lists them.");
        return site;
    }

    internal static string? Stack(CommandInput input, RolloutOptions options, string text)
    {
        var stack = options.FindStack(text);
        if (text.Length > 0 && stack is null) input.Problem($"`stack={text}` is not a stack I know: {options.StackList}.");
        return stack;
    }

    internal static PartnerLevel? Level(CommandInput input, string? text)
    {
        if (text is null) return null;
        if (Sites.TryParseLevel(text, out var level)) return level;
        input.Problem($"`level={text}` is not a partner level: {Sites.Levels}.");
        return null;
    }

    internal static string? TimeZone(CommandInput input, string? tz)
    {
        if (tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            input.Problem($"`tz={tz}` is not a time zone I know: use an IANA name like Europe/Zurich.");
        return tz;
    }

    /// <summary>A chat user id as a person will be known by: no invisible or direction-changing characters (issue 12.16).</summary>
    internal static string UserId(CommandInput input, string userId)
    {
        if (UserIds.Problem(userId) is { } problem) input.Problem($"`user={userId}`: {problem}");
        return userId;
    }

    internal static string LevelName(PartnerLevel? level) => level?.ToString().ToLowerInvariant() ?? "none";

    internal static string Admins(IEnumerable<SiteAdmin> admins, bool showEmail)
    {
        var list = admins.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none yet"
            : string.Join("; ", list.Select(a => $"{CardText.Escape(a.Name)} ({CardText.Escape(a.UserId)}{(a.Email is null || !showEmail ? "" : ", " + CardText.Escape(a.Email))})"));
    }

    private static bool IsCleared(string text) => Cleared.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);
}

/// <summary>What makes a chat user id unfit to be someone's identity: characters that cannot be seen or that reorder text.</summary>
public static class UserIds
{
    /// <summary>Why <paramref name="userId"/> is refused, or null. Zero-width and bidirectional controls let two ids look alike.</summary>
    public static string? Problem(string userId)
    {
        foreach (var ch in userId)
        {
            var category = char.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return $"it contains an invisible or text-direction character (U+{(int)ch:X4}); type the id with visible characters only.";
        }
        return null;
    }
}
