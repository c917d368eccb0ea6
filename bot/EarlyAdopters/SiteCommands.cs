using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.EarlyAdopters;

/// <summary><c>/site add</c>, <c>/site admin</c> (coordinators) and <c>/sites</c> (everyone).</summary>
public static class SiteCommands
{
    private static readonly string[] SiteUsage =
    [
        "/site add name=… stack=… [level=silver|gold|platinum] [tz=Europe/Zurich]",
        "/site admin name=… user=… [email=…] [display=\"…\"]",
    ];

    public static CommandDefinition Site(RolloutOptions options) => new("site", "Coordinator", SiteUsage,
        "register an Early Adopter site, or add an admin to one", Writes: true, s => HandleSiteAsync(s, options));

    public static readonly CommandDefinition List = new("sites", "Everyone", ["/sites"],
        "Early Adopter sites with their admins and commitments", Writes: false, ListAsync);

    private static async Task<Reply> HandleSiteAsync(CommandSession s, RolloutOptions options) => s.Command.Verb switch
    {
        "add" => s.Require(Role.Coordinator, "add a site") ?? await AddAsync(s, options),
        "admin" => s.Require(Role.Coordinator, "add a site admin") ?? await AddAdminAsync(s),
        var verb => Refusals.Problem(verb is null ? "Say what to do: `add` or `admin`." : $"`/site {verb}` is not a thing I do.", SiteUsage, "/site"),
    };

    private static async Task<Reply> AddAsync(CommandSession s, RolloutOptions options)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "stack", "level", "tz");
        var name = input.Required("name", "the site name, e.g. `name=CESGA`");
        var stackText = input.Required("stack", $"one of {options.StackList}");
        var stack = options.FindStack(stackText);
        if (stackText.Length > 0 && stack is null) input.Problem($"`stack={stackText}` is not a stack I know: {options.StackList}.");
        PartnerLevel? level = null;
        if (input.Optional("level") is { } levelText)
        {
            if (Sites.TryParseLevel(levelText, out var parsed)) level = parsed;
            else input.Problem($"`level={levelText}` is not a partner level: {Sites.Levels}.");
        }
        var tz = input.Optional("tz");
        if (tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            input.Problem($"`tz={tz}` is not a time zone I know: use an IANA name like Europe/Zurich.");
        if (name.Length > 0 && await Sites.FindAsync(db, name, s.Ct) is { } existing)
            input.Problem($"A site named **{existing.Name}** already exists.");
        if (!input.IsValid) return input.Refusal(SiteUsage, "/site add");

        var site = new Site { Name = name, Stack = stack!, TimeZone = tz, CreatedAt = s.Now };
        db.Sites.Add(site);
        if (level is { } l)
            db.Partnerships.Add(new Pilots.Partnership
            {
                Site = site, Level = l, RegisteredBy = s.Caller.UserId, RegisteredByName = s.Caller.Name, RegisteredAt = s.Now,
            });
        return $"Site **{name}** added ({stack}{(level is null ? "" : ", " + level.Value.ToString().ToLowerInvariant())}" +
            $"{(tz is null ? "" : ", " + tz)}) by {s.Caller.Name}. Next: `/site admin name={Quote(name)} user=…` and `/commit site={Quote(name)} component=…`.";
    }

    private static async Task<Reply> AddAdminAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "user", "email", "display");
        var siteName = input.Required("name", "the site name");
        var userId = input.Required("user", "the admin's chat user id");
        var email = input.Email("email", required: false);
        var display = input.Optional("display") ?? userId;
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, s.Ct) : null;
        if (siteName.Length > 0 && site is null) input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        if (site is not null && userId.Length > 0
            && await db.SiteAdmins.AnyAsync(a => a.SiteId == site.Id && a.UserId == userId && a.RemovedAt == null, s.Ct))
            input.Problem($"{userId} is already an admin of **{site.Name}**.");
        if (!input.IsValid) return input.Refusal(SiteUsage, "/site admin");

        db.SiteAdmins.Add(new SiteAdmin { SiteId = site!.Id, UserId = userId, Name = display, Email = email, AddedAt = s.Now });
        return $"{display} ({userId}{(email is null ? "" : ", " + email)}) is now an admin of **{site.Name}**.";
    }

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        var db = s.Db;
        var sites = await db.Sites.AsNoTracking().OrderBy(x => x.Name).ToListAsync(s.Ct);
        if (sites.Count == 0)
            return "No Early Adopter sites yet. A site asks to join with `/join`; a coordinator adds one with `/site add`.";
        var admins = (await db.SiteAdmins.AsNoTracking().Where(a => a.RemovedAt == null).ToListAsync(s.Ct)).ToLookup(a => a.SiteId);
        var commitments = (await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null).ToListAsync(s.Ct)).ToLookup(c => c.SiteId);
        var levels = await Pilots.Partners.BySiteAsync(db, s.Ct);
        // E-mail addresses are personal data: only coordinators, who keep the registry, see them.
        var showEmail = s.Caller.IsCoordinator;

        var text = new StringBuilder($"**Early Adopter sites** ({sites.Count})\n");
        foreach (var site in sites)
        {
            text.Append("\n**").Append(site.Name).Append("** — ").Append(site.Stack);
            if (levels[site.Id].Any()) text.Append(", ").Append(Pilots.Partners.Describe(levels[site.Id])).Append(" partner");
            if (site.TimeZone is { } tz) text.Append(", ").Append(tz);
            text.Append("\n- admins: ").Append(admins[site.Id].Any()
                ? string.Join("; ", admins[site.Id].OrderBy(a => a.Name).Select(a => $"{a.Name} ({a.UserId}{(a.Email is null || !showEmail ? "" : ", " + a.Email)})"))
                : "none yet");
            text.Append("\n- committed to: ").Append(commitments[site.Id].Any()
                ? string.Join(", ", commitments[site.Id].OrderBy(c => c.Component).Select(c => Sites.Describe(c.Component, c.Os, c.Arch)))
                : "nothing yet").Append('\n');
        }
        return text.ToString();
    }

    internal static string Quote(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}
