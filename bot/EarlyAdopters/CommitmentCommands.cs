using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary><c>/commit</c> and <c>/uncommit</c> (coordinators), <c>/vacancies</c>: the wish list (everyone).</summary>
public static class CommitmentCommands
{
    private static readonly string[] CommitUsage = ["/commit site=… component=… [os=… arch=…] [new-component=yes]"];
    private static readonly string[] UncommitUsage = ["/uncommit site=… component=…"];

    public static CommandDefinition Commit(RolloutOptions options, ComponentCatalogue catalogue) => new("commit", "Coordinator", CommitUsage,
        "commit a site to take a component early (a new component joins the catalogue)", Writes: true, s => CommitAsync(s, options, catalogue));

    public static readonly CommandDefinition Uncommit = new("uncommit", "Coordinator", UncommitUsage,
        "end a site's commitment to a component", Writes: true, UncommitAsync);

    public static readonly CommandDefinition Vacancies = new("vacancies", "Everyone", ["/vacancies"],
        "components no Early Adopter covers yet: the wish list", Writes: false, VacanciesAsync);

    private static async Task<Reply> CommitAsync(CommandSession s, RolloutOptions options, ComponentCatalogue catalogue)
    {
        if (s.Require(Role.Coordinator, "commit a site to a component") is { } refused) return refused;
        var db = s.Db;
        var input = new CommandInput(s.Command, "site", "component", "os", "arch", "new-component");
        var siteName = input.Required("site", "the site name");
        var componentName = input.Required("component", "the component name");
        var (os, arch) = (input.Optional("os"), input.Optional("arch"));
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, s.Ct) : null;
        if (siteName.Length > 0 && site is null) input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        var component = componentName.Length > 0 ? await ComponentCatalogue.FindAsync(db, componentName, s.Ct) : null;
        if (site is not null && component is null && componentName.Length > 0 && !options.IsStack(site.Stack))
            input.Problem($"**{componentName}** is new, and the site's stack '{site.Stack}' is no longer configured: " +
                "add the component with `/component add` first.");
        // A new name that looks like a known one is a typo until the coordinator says otherwise.
        if (component is null && componentName.Length > 0 && !Tickets.ReleaseNew.IsYes(input.Optional("new-component"))
            && await ComponentCatalogue.SimilarAsync(db, componentName, s.Ct) is { Count: > 0 } similar)
            input.Problem($"There is no component **{componentName}** in the catalogue. {ComponentCatalogue.DidYouMean(similar)}" +
                $"Type `component={similar[0]}`, or add `new-component=yes` if {componentName} is new.");
        if (component?.RetiredAt is not null)
            input.Problem($"**{component.Name}** is retired. `/component add name={component.Name} stack={component.Stack}` brings it back.");
        var active = site is null || componentName.Length == 0 ? [] : await FindActiveAsync(db, site.Id, componentName, s.Ct);
        if (active.FirstOrDefault(c => Sites.SameTarget(c.Os, os) && Sites.SameTarget(c.Arch, arch)) is { } same)
            input.Problem($"**{site!.Name}** is already committed to {Sites.Describe(same.Component, same.Os, same.Arch)}.");
        if (!input.IsValid) return input.Refusal(CommitUsage, "/commit");

        var isNew = await catalogue.EnsureAsync(db, componentName, site!.Stack, s.Caller.UserId, s.Ct);
        var name = component?.Name ?? componentName;
        db.Commitments.Add(new Commitment { SiteId = site.Id, Component = name, Os = os, Arch = arch, CommittedAt = s.Now });
        RegistryLog.Record(db, site, s.Actor, s.Now, "committed", to: Sites.Describe(name, os, arch));

        var reply = $"**{site.Name}** is committed to {Sites.Describe(name, os, arch)}.";
        if (isNew) reply += "\n" + NewComponentLine(name, site.Stack);
        return reply;
    }

    /// <summary>The line that tells coordinators the catalogue grew by itself.</summary>
    public static string NewComponentLine(string component, string stack) =>
        $"New component **{component}** ({stack}) added to the catalogue; coordinators: `/component retire name={component}` if it is a typo.";

    private static async Task<Reply> UncommitAsync(CommandSession s)
    {
        if (s.Require(Role.Coordinator, "end a commitment") is { } refused) return refused;
        var db = s.Db;
        var input = new CommandInput(s.Command, "site", "component");
        var siteName = input.Required("site", "the site name");
        var componentName = input.Required("component", "the component name");
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, s.Ct) : null;
        if (siteName.Length > 0 && site is null) input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        var active = site is null || componentName.Length == 0 ? [] : await FindActiveAsync(db, site.Id, componentName, s.Ct);
        if (site is not null && componentName.Length > 0 && active.Count == 0)
            input.Problem($"**{site.Name}** is not committed to {componentName}.");
        if (!input.IsValid) return input.Refusal(UncommitUsage, "/uncommit");

        foreach (var commitment in active)
        {
            commitment.EndedAt = s.Now;
            RegistryLog.Record(db, site!, s.Actor, s.Now, "commitment ended", Sites.Describe(commitment.Component, commitment.Os, commitment.Arch));
        }
        return $"**{site!.Name}** is no longer committed to {string.Join(", ", active.Select(c => Sites.Describe(c.Component, c.Os, c.Arch)))}.";
    }

    internal static async Task<List<Commitment>> FindActiveAsync(RolloutDb db, long siteId, string component, CancellationToken ct)
    {
        var lower = component.Trim().ToLowerInvariant();
        return await db.Commitments.Where(c => c.SiteId == siteId && c.EndedAt == null && c.Component.ToLower() == lower).ToListAsync(ct);
    }

    private static async Task<Reply> VacanciesAsync(CommandSession s)
    {
        var vacancies = await ComponentCatalogue.VacanciesAsync(s.Db, s.Ct);
        if (vacancies.Count == 0) return "No vacancies: every component in the catalogue has at least one Early Adopter.";
        var text = new StringBuilder($"**Vacancies** — components without an Early Adopter ({vacancies.Count}). Sites volunteer with `/join`.\n");
        foreach (var stack in vacancies.GroupBy(c => c.Stack))
            text.Append("- ").Append(stack.Key).Append(": ").Append(string.Join(", ", stack.Select(c => c.Name))).Append('\n');
        return text.ToString();
    }
}
