using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/release new …</c> and the "release.new" card: a provider (or coordinator) opens a ticket in state
/// certified. Typed and card input go through the same validation and creation.
/// </summary>
public static class ReleaseNew
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/release new component=… version=… stack=… type=emergency|revision|minor|major notes=URL changelog=URL cert=URL [docs=URL] [bugs=URL,URL] [security=URL] [os=… arch=…] [new-component=yes]",
        "/release new (no arguments: a form)",
    ];

    public static readonly string[] Fields =
        ["component", "new-component", "version", "stack", "type", "notes", "changelog", "cert", "docs", "bugs", "security", "os", "arch"];

    public static CommandDefinition Definition(RolloutOptions options, ComponentCatalogue catalogue) => new(
        "release", "Provider", Usage, "open a ticket for a certified release", Writes: true, s => RunAsync(s, options, catalogue));

    /// <summary>The form's "Open ticket" button: the same command with the form's fields.</summary>
    public static readonly CardVerbDefinition Card = new(ReleaseForm.Verb, "release", Fields, _ => ["new"]);

    private static async Task<Reply> RunAsync(CommandSession s, RolloutOptions options, ComponentCatalogue catalogue)
    {
        var command = s.Command;
        if (command.Verb != "new")
            return Reply.No($"Say what to do with the release: `/release new`. {TicketCommand.Usage(Usage)}");
        if (!(s.Caller.Has(Role.Provider) || s.Caller.IsCoordinator))
            return Refusals.Role(s.Caller, "software providers and coordinators", "use `/release new`");
        if (command.Named.Count == 0) return ReleaseForm.Form(options);
        if (TicketCommand.UnknownKeys(command, Usage, Fields) is { } unknown) return unknown;

        var (ticket, problems) = Validate(command.Named, options, s.Caller);
        if (ticket is null)
            return Reply.No($"I could not open the ticket:\n- {string.Join("\n- ", problems)}\n\n{TicketCommand.Usage(Usage)}");

        var added = "";
        if (await ComponentCatalogue.FindAsync(s.Db, ticket.Component, s.Ct) is { } known)
            ticket.Component = known.Name;
        else if (!IsYes(command.Get("new-component")))
            return Reply.No(await UnknownComponentAsync(s, ticket.Component));
        else if (ticket.IsRestricted)
            // The catalogue is public (/components, /vacancies, /status): an embargoed release's new name waits for disclosure (12.7).
            added = $"\nThe component '{ticket.Component}' is new: it joins the catalogue when the release is disclosed.";
        else if (await catalogue.EnsureAsync(s.Db, ticket.Component, ticket.Stack, s.Caller.UserId, s.Ct))
            added = $"\nThe component '{ticket.Component}' was not in the catalogue: I added it under the {ticket.Stack} stack.";
        var frequency = await ReleaseFrequency.CheckAsync(s.Db, ticket.Component, ticket.Type, s.Now, s.Ct);
        s.Db.Tickets.Add(Ticket.Open(ticket, s.Actor, s.Now));
        if (frequency is not null) ticket.NoteFrequency(frequency, s.Actor, s.Now);
        // Saved here because the answer names the new ticket's number.
        await s.Db.SaveChangesAsync(s.Ct);

        var restricted = ticket.IsRestricted ? " It is **restricted** (security advisory): only those entitled can see it." : "";
        return $"Opened ticket {ticket.Number}: {ticket.Component} {ticket.Version} ({ticket.Type.ToName()}, {ticket.Stack}), " +
            $"state certified.{restricted}{added}" + (frequency is null ? "" : $"\nNote: §2.2 allows {frequency.Rule} per component, and " +
            $"{ticket.Component} had #{frequency.Previous} opened {TicketCommand.When(frequency.PreviousAt)}. The ticket is open anyway; " +
            "the warning is in its history for the coordinators.");
    }

    /// <summary>A new component only on purpose: a typo ("glite-CRAEM") must not become a catalogue entry of its own.</summary>
    private static async Task<string> UnknownComponentAsync(CommandSession s, string component)
    {
        var similar = await ComponentCatalogue.SimilarAsync(s.Db, component, s.Ct);
        return $"There is no component **{component}** in the catalogue. {ComponentCatalogue.DidYouMean(similar)}" +
            (similar.Count > 0 ? $"Type `component={similar[0]}`; or, " : "`/components` lists them; ") +
            $"if {component} really is a new component, say so with `new-component=yes` (a coordinator can also " +
            "`/component add name=… stack=…` it first). Nothing was opened.";
    }

    /// <summary>The "yes" of a flag such as new-component= (the form's choice says yes or no).</summary>
    public static bool IsYes(string? text) => text?.Trim().ToLowerInvariant() is "yes" or "true" or "y";

    /// <summary>Checks every field and collects every problem, so one reply says everything that needs fixing.</summary>
    public static (Ticket? Ticket, List<string> Problems) Validate(
        IReadOnlyDictionary<string, string> raw, RolloutOptions options, Caller caller)
    {
        var problems = new List<string>();
        string? Get(string key) => raw.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var component = Get("component");
        var version = Get("version");
        if (component is null) problems.Add("component= is missing (the component's name, e.g. component=cream)");
        else if (component.Any(char.IsWhiteSpace)) problems.Add($"component= must be one word, not '{component}'");
        if (version is null) problems.Add("version= is missing (e.g. version=1.14.2)");

        var stack = options.FindStack(Get("stack"));
        if (Get("stack") is null) problems.Add($"stack= is missing: one of {options.StackList}");
        else if (stack is null) problems.Add($"unknown stack '{Get("stack")}': use one of {options.StackList}");

        ReleaseType? type = null;
        if (Get("type") is not { } typeText) problems.Add($"type= is missing: one of {TicketNames.Names<ReleaseType>()}");
        else if (TicketNames.TryParse<ReleaseType>(typeText, out var parsed)) type = parsed;
        else problems.Add($"unknown release type '{typeText}': use one of {TicketNames.Names<ReleaseType>()}");

        // Emergency releases may come with links still to follow (seed 002 §2.2); the others must bring them.
        var linksRequired = type is not ReleaseType.Emergency;
        string? Link(string key, string what, bool required)
        {
            var text = Get(key);
            if (text is null)
            {
                if (required) problems.Add($"{key}= is missing: the link to the {what}");
                return null;
            }
            if (TicketCommand.TryUrl(key, text, out var url, out var error)) return url;
            problems.Add(error!);
            return null;
        }
        var notes = Link("notes", "release notes", linksRequired);
        var changelog = Link("changelog", "changelog", linksRequired);
        var cert = Link("cert", "certification report", linksRequired);
        var docs = Link("docs", "documentation", false);
        var security = Link("security", "security advisory", false);
        var bugs = TicketCommand.UrlList("bugs", Get("bugs"), problems);
        if (Get("new-component") is { } flag && !IsYes(flag) && flag.ToLowerInvariant() is not ("no" or "false" or "n"))
            problems.Add($"new-component= is yes or no, not '{flag}'");

        if (problems.Count > 0) return (null, problems);
        return (new Ticket
        {
            Component = component!, Version = version!, Stack = stack!, Type = type!.Value,
            Os = Get("os"), Arch = Get("arch"),
            NotesUrl = notes, ChangelogUrl = changelog, CertificationUrl = cert, DocsUrl = docs, BugUrls = bugs,
            SecurityAdvisoryUrl = security,
            ProviderId = caller.UserId, ProviderName = caller.Name,
        }, problems);
    }
}
