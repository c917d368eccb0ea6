using System.Globalization;
using Rollout.Bot.Cards;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// A <c>/join</c> request as a card in the coordinators' operations room, with Approve and Decline (a reason form).
/// One shared card (card key <c>engagement:N</c>) rather than a copy per coordinator: whoever decides, the card shows
/// it to all of them in place and loses its buttons. The buttons run <c>/approve</c> and <c>/decline</c> as the clicker.
/// </summary>
public static class EngagementCard
{
    public const string ApproveVerb = "engagement.approve";
    public const string DeclineVerb = "engagement.decline";

    public static string CardKey(long requestId) => $"engagement:{requestId}";

    public static AdaptiveCard Build(EngagementRequest r)
    {
        var id = r.Id.ToString(CultureInfo.InvariantCulture);
        var decided = r.State switch
        {
            RequestState.Approved => $"Approved by {E(r.DecidedByName ?? r.DecidedBy)}.",
            RequestState.Declined => $"Declined by {E(r.DecidedByName ?? r.DecidedBy)}: {E(r.DeclineReason)}",
            _ => null,
        };
        var body = new List<CardElement>
        {
            new TextBlock($"Request #{id} to join as Early Adopter", Size: "Medium", Weight: "Bolder"),
            new FactSet(
            [
                new("Site", E(r.SiteName)), new("Admin", $"{E(r.AdminName)} ({E(r.AdminUserId)})"), new("E-mail", E(r.AdminEmail)),
                new("Component", Target(r)), new("Asked", CardText.LocalTime(r.RequestedAt)),
            ]),
        };
        if (r.Level is { } level) body.Insert(2, new TextBlock($"Also asks to be a {level.ToString().ToLowerInvariant()} pilot partner.", Wrap: true));
        if (decided is not null) body.Add(new TextBlock(decided, Weight: "Bolder"));
        List<CardAction>? actions = decided is not null ? null :
        [
            new ExecuteAction("Approve", ApproveVerb, new Dictionary<string, string> { ["req"] = id }),
            new ShowCardAction("Decline", new AdaptiveCard(
                [new TextInput("reason", "Reason the requester will read", IsRequired: true, ErrorMessage: "Say why")],
                [new ExecuteAction("Decline request", DeclineVerb, new Dictionary<string, string> { ["req"] = id })])),
        ];
        return new AdaptiveCard(body, actions);
    }

    public static BotMessage Message(EngagementRequest r) =>
        BotMessage.CardAlone(Build(r).ToJson(), $"Request #{r.Id}: {E(r.SiteName)} to join as Early Adopter of {E(r.Component)}");

    /// <summary>Approve runs <c>/approve req=N</c> as the clicker; its checks (the coordinator role, a pending request) apply.</summary>
    public static readonly CardVerbDefinition Approve = new(ApproveVerb, "approve", ["req"]);

    public static readonly CardVerbDefinition Decline = new(DeclineVerb, "decline", ["req", "reason"]);

    /// <summary>What the requester typed, made inert for markdown (issue 12.12).</summary>
    private static string E(string? text) => CardText.Escape(text);

    /// <summary>The component and platform asked for, each part escaped, in the registry's wording.</summary>
    internal static string Target(EngagementRequest r) =>
        Sites.Describe(E(r.Component), r.Os is null ? null : E(r.Os), r.Arch is null ? null : E(r.Arch));
}
