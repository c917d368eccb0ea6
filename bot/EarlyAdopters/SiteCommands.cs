using Rollout.Bot.Cards;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// <c>/site add|admin|unadmin|edit|remove</c> (coordinators; <see cref="SiteEdits"/> holds the corrections), <c>/site show</c>
/// and <c>/sites</c> (everyone). Every change is kept with who and when (<see cref="RegistryLog"/>).
/// </summary>
public static class SiteCommands
{
    internal static readonly string[] SiteUsage =
    [
        "/site add name=… stack=… [level=silver|gold|platinum] [tz=Europe/Zurich]",
        "/site admin name=… user=… [email=…] [display=\"…\"] (adds an admin, or changes an admin's e-mail or name)",
        "/site unadmin name=… user=… [reason=\"…\"]",
        "/site edit name=… [rename=…] [stack=…] [tz=…|none]",
        "/site remove name=… reason=\"…\"",
        "/site show name=…",
    ];

    public static CommandDefinition Site(RolloutOptions options) => new("site", "Coordinator", SiteUsage,
        "register, correct or remove an Early Adopter site and its admins; `/site show` its registry history", Writes: true,
        s => HandleSiteAsync(s, options));

    public static readonly CommandDefinition List = new("sites", "Everyone", ["/sites"],
        "Early Adopter sites with their admins and commitments", Writes: false, ListAsync);

    private static async Task<Reply> HandleSiteAsync(CommandSession s, RolloutOptions options) => s.Command.Verb switch
    {
        "add" => s.Require(Role.Coordinator, "add a site") ?? await AddAsync(s, options),
        "admin" => s.Require(Role.Coordinator, "add or change a site admin") ?? await AdminAsync(s),
        "unadmin" => s.Require(Role.Coordinator, "remove a site admin") ?? await SiteEdits.UnadminAsync(s),
        "edit" => s.Require(Role.Coordinator, "change a site") ?? await SiteEdits.EditAsync(s, options),
        "remove" => s.Require(Role.Coordinator, "remove a site") ?? await SiteEdits.RemoveAsync(s),
        "show" => await SiteEdits.ShowAsync(s),
        var verb => Refusals.Problem(verb is null ? "Say what to do: `add`, `admin`, `unadmin`, `edit`, `remove` or `show`."
            : $"`/site {verb}` is not a thing I do.", SiteUsage, "/site"),
    };

    private static async Task<Reply> AddAsync(CommandSession s, RolloutOptions options)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "stack", "level", "tz");
        var name = input.Required("name", "the site name, e.g. `name=CESGA`");
        var stack = SiteEdits.Stack(input, options, input.Required("stack", $"one of {options.StackList}"));
        var level = SiteEdits.Level(input, input.Optional("level"));
        var tz = SiteEdits.TimeZone(input, input.Optional("tz"));
        if (name.Length > 0 && Sites.NameProblem(name) is { } badName) input.Problem($"`name=`: {badName}.");
        else if (name.Length > 0 && await Sites.FindAsync(db, name, s.Ct) is { } existing)
            input.Problem($"A site named **{CardText.Escape(existing.Name)}** already exists.");
        if (!input.IsValid) return input.Refusal(SiteUsage, "/site add");

        var site = new Site { Name = name, Stack = stack!, TimeZone = tz, CreatedAt = s.Now };
        db.Sites.Add(site);
        if (level is { } l)
            db.Partnerships.Add(new Pilots.Partnership
            {
                Site = site, Level = l, RegisteredBy = s.Caller.UserId, RegisteredByName = s.Caller.Name, RegisteredAt = s.Now,
            });
        RegistryLog.Record(db, site, s.Actor, s.Now, "site added", to: $"{stack}{(level is null ? "" : ", " + SiteEdits.LevelName(level))}{(tz is null ? "" : ", " + tz)}");
        return $"Site **{name}** added ({stack}{(level is null ? "" : ", " + SiteEdits.LevelName(level))}" +
            $"{(tz is null ? "" : ", " + tz)}) by {s.Caller.Name}. Next: `/site admin name={Quote(name)} user=…` and `/commit site={Quote(name)} component=…`.";
    }

    /// <summary>Adds an admin, or, for one already there (as <c>/role grant … role=site-admin</c> leaves them), sets their e-mail and name.</summary>
    private static async Task<Reply> AdminAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "user", "email", "display");
        var siteName = input.Required("name", "the site name");
        var userId = SiteEdits.UserId(input, input.Required("user", "the admin's chat user id"));
        var email = input.Email("email", required: false);
        var display = input.Optional("display");
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, s.Ct) : null;
        if (siteName.Length > 0 && site is null) input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        if (!input.IsValid) return input.Refusal(SiteUsage, "/site admin");

        var admin = await db.SiteAdmins.FirstOrDefaultAsync(a => a.SiteId == site!.Id && a.UserId == userId && a.RemovedAt == null, s.Ct);
        if (admin is null)
        {
            db.SiteAdmins.Add(new SiteAdmin { SiteId = site!.Id, UserId = userId, Name = display ?? userId, Email = email, AddedAt = s.Now });
            RegistryLog.Record(db, site, s.Actor, s.Now, "admin added", to: $"{display ?? userId} ({userId})");
            return $"{display ?? userId} ({userId}{(email is null ? "" : ", " + email)}) is now an admin of **{site.Name}**.";
        }
        var changed = new List<string>();
        if (display is not null && display != admin.Name)
        {
            RegistryLog.Record(db, site!, s.Actor, s.Now, $"admin {userId} name", admin.Name, display);
            changed.Add($"name {admin.Name} → {display}");
            admin.Name = display;
        }
        if (email is not null && email != admin.Email)
        {
            RegistryLog.Record(db, site!, s.Actor, s.Now, RegistryChange.EmailChange, admin.Email, email, reason: userId);
            changed.Add($"e-mail {admin.Email ?? "not set"} → {email}");
            admin.Email = email;
        }
        if (changed.Count == 0)
            return Reply.No($"{admin.Name} ({userId}) is already an admin of **{site!.Name}** with those details: nothing changed. " +
                "Give `email=` or `display=\"…\"` to change them, `/site unadmin` to remove them.");
        return $"{admin.Name} ({userId}), admin of **{site!.Name}**: {string.Join("; ", changed)}.";
    }

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        var db = s.Db;
        var sites = await db.Sites.AsNoTracking().Where(x => x.RemovedAt == null).OrderBy(x => x.Name).ToListAsync(s.Ct);
        if (sites.Count == 0)
            return "No Early Adopter sites yet. A site asks to join with `/join`; a coordinator adds one with `/site add`.";
        var admins = (await db.SiteAdmins.AsNoTracking().Where(a => a.RemovedAt == null).ToListAsync(s.Ct)).ToLookup(a => a.SiteId);
        var commitments = (await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null).ToListAsync(s.Ct)).ToLookup(c => c.SiteId);
        // E-mail addresses are personal data: only coordinators, who keep the registry, see them.
        var levels = await Pilots.Partners.BySiteAsync(db, s.Ct);
        var showEmail = s.Caller.IsCoordinator;

        var text = new StringBuilder($"**Early Adopter sites** ({sites.Count})\n");
        foreach (var site in sites)
        {
            text.Append("\n**").Append(CardText.Escape(site.Name)).Append("** — ").Append(CardText.Escape(site.Stack));
            if (levels[site.Id].Any()) text.Append(", ").Append(Pilots.Partners.Describe(levels[site.Id])).Append(" partner");
            if (site.TimeZone is { } tz) text.Append(", ").Append(CardText.Escape(tz));
            text.Append("\n- admins: ").Append(SiteEdits.Admins(admins[site.Id], showEmail));
            text.Append("\n- committed to: ").Append(commitments[site.Id].Any()
                ? string.Join(", ", commitments[site.Id].OrderBy(c => c.Component).Select(c => CardText.Escape(Sites.Describe(c.Component, c.Os, c.Arch))))
                : "nothing yet").Append('\n');
        }
        return text.ToString();
    }

    internal static string Quote(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}
