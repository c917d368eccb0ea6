using Rollout.Bot.Cards;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>The "new release" form card; its button runs <c>/release new</c> with the form's fields (<see cref="ReleaseNew.Card"/>).</summary>
public static class ReleaseForm
{
    public const string Verb = "release.new";

    public static Reply Form(RolloutOptions options) =>
        Reply.WithCard("Fill in the release (or type it: see `/help`).", Build(options).ToJson());

    public static AdaptiveCard Build(RolloutOptions options) => new(
        [
            new TextBlock("New release for staged rollout", Size: "Medium", Weight: "Bolder"),
            new TextInput("component", "Component", IsRequired: true, Placeholder: "e.g. cream", ErrorMessage: "Give the component's name"),
            new ChoiceInput("new-component", "Is the component in the catalogue (`/components`)?",
                [new Choice("Yes, it is listed", "no"), new Choice("No: add it as a new component", "yes")], IsRequired: true, Value: "no",
                ErrorMessage: "Say whether the component is already listed"),
            new TextInput("version", "Version", IsRequired: true, Placeholder: "e.g. 1.14.2", ErrorMessage: "Give the version"),
            new ChoiceInput("stack", "Middleware stack", options.Stacks.Select(s => new Choice(s, s)).ToList(), IsRequired: true,
                ErrorMessage: "Pick a stack"),
            new ChoiceInput("type", "Release type", Enum.GetValues<ReleaseType>().Select(t => new Choice(t.ToName(), t.ToName())).ToList(),
                IsRequired: true, Value: ReleaseType.Revision.ToName(), ErrorMessage: "Pick a release type"),
            new TextInput("notes", "Release notes URL (not needed for emergency)", Style: "Url", Placeholder: "https://…"),
            new TextInput("changelog", "Changelog URL (not needed for emergency)", Style: "Url", Placeholder: "https://…"),
            new TextInput("cert", "Certification report URL (not needed for emergency)", Style: "Url", Placeholder: "https://…"),
            new TextInput("docs", "Documentation URL", Style: "Url", Placeholder: "https://…"),
            new TextInput("bugs", "Bug links, comma-separated", Placeholder: "https://…, https://…"),
            new TextInput("security", "Security advisory URL (makes the ticket restricted)", Style: "Url", Placeholder: "https://…"),
            new TextInput("os", "Platform OS", Placeholder: "e.g. sl6"),
            new TextInput("arch", "Platform architecture", Placeholder: "e.g. x86_64"),
        ],
        [new ExecuteAction("Open ticket", Verb)]);

    /// <summary>Every input id the card emits, for the test that the verb reads them all.</summary>
    public static IEnumerable<string> InputIds(RolloutOptions options) =>
        Build(options).Body.Select(e => e switch { TextInput t => t.Id, ChoiceInput c => c.Id, _ => null }).OfType<string>();
}
