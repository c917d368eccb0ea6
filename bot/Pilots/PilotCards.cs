using Rollout.Bot.Cards;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Pilots;

/// <summary>
/// The pilot's cards: an invitation (to a site's admins or a VO's contact) with Accept and Decline, the kick-off
/// invitation, and the feedback form. Each button is the command it runs, as the clicker: <c>/pilot answer P1 accept
/// site=…</c>, <c>/pilot feedback P1 …</c>; the command re-checks who is asking.
/// </summary>
public static class PilotCards
{
    public const string AcceptVerb = "pilot.accept", DeclineVerb = "pilot.decline", FeedbackVerb = "pilot.feedback";

    public static string InvitationKey(Pilot p, PilotParticipant x) => $"{p.Subject}:invitation:{Names.Of(x.Kind).ToLowerInvariant()}:{x.Name.ToLowerInvariant()}";

    public static BotMessage Invitation(Pilot p, PilotParticipant x)
    {
        var key = x.Kind == ParticipantKind.Site ? "site" : "vo";
        var data = new Dictionary<string, string> { ["pilot"] = p.Number, [key] = x.Name };
        var body = new List<CardElement>
        {
            new TextBlock($"Pilot {p.Number}: {p.What}", Size: "Medium", Weight: "Bolder"),
            new TextBlock(x.Kind == ParticipantKind.Site
                ? $"{x.Name} is invited to run this pilot service in production as a {Partners.Name(p.Category.PartnerLevel()!.Value)} partner (seed 001): " +
                  "set it up, run it as its service manager, and write a post-mortem report."
                : $"{x.Name} is invited to use this pilot service and give feedback on it during the run."),
            new FactSet(
            [
                new("Category", p.Category.Describe()), new("Objectives", p.Objectives ?? "to be agreed at the kick-off"),
                new("Coordinator", p.CoordinatorName ?? "to be appointed"), new("Asked", CardText.LocalTime(x.InvitedAt)),
            ]),
        };
        var answered = x.State switch
        {
            ParticipantState.Accepted => $"Accepted ({x.AnsweredBy}).",
            ParticipantState.Declined => $"Declined ({x.AnsweredBy}){(x.Reason is null ? "" : ": " + x.Reason)}.",
            _ => null,
        };
        if (answered is not null) body.Add(new TextBlock(answered, Weight: "Bolder"));
        List<CardAction>? actions = answered is not null ? null :
        [
            new ExecuteAction("Accept", AcceptVerb, data),
            new ShowCardAction("Decline", new AdaptiveCard(
                [new TextInput("reason", "Why not (the coordinators read it)", IsRequired: true, ErrorMessage: "Say why")],
                [new ExecuteAction("Decline", DeclineVerb, data)])),
        ];
        return BotMessage.CardAlone(new AdaptiveCard(body, actions).ToJson(), $"Pilot {p.Number}: {x.Name} is invited");
    }

    public static BotMessage KickOff(Pilot p)
    {
        var body = new List<CardElement>
        {
            new TextBlock($"Kick-off of pilot {p.Number}: {p.What}", Size: "Medium", Weight: "Bolder"),
            new FactSet(
            [
                new("When", $"{PilotText.When(p.KickOffAt!.Value, p.KickOffZone!)} ({CardText.LocalTime(p.KickOffAt.Value)} for you)"),
                new("Length", $"{p.KickOffMinutes} minutes"), new("Set-up", $"{p.SetupDays} working days"),
                new("Feedback", $"{p.FeedbackDays} working days, reminders every {p.CadenceDays}"),
                new("Sites", string.Join(", ", p.Sites(ParticipantState.Accepted).Select(s => s.Name).DefaultIfEmpty("none yet"))),
                new("VOs", string.Join(", ", p.Vos(ParticipantState.Accepted).Select(s => s.Name).DefaultIfEmpty("none yet"))),
            ]),
            new TextBlock("Sites, developers and VOs agree the set-up time and the feedback period here. It is in /calendar.ics too."),
        };
        return BotMessage.CardAlone(new AdaptiveCard(body).ToJson(), $"Pilot {p.Number}: kick-off {PilotText.When(p.KickOffAt.Value, p.KickOffZone!)}");
    }

    /// <summary>The feedback form sent with each VO reminder; submitting runs <c>/pilot feedback P1 vo=… text=…</c>.</summary>
    public static BotMessage FeedbackForm(Pilot p, PilotParticipant vo, string text) => BotMessage.WithCard(text, new AdaptiveCard(
        [
            new TextBlock($"Feedback on pilot {p.Number}: {p.What}", Weight: "Bolder"),
            new TextInput("text", "What works, what does not, what you measured", IsRequired: true, ErrorMessage: "Write your feedback", IsMultiline: true),
        ],
        [new ExecuteAction("Send feedback", FeedbackVerb, new Dictionary<string, string> { ["pilot"] = p.Number, ["vo"] = vo.Name })]).ToJson());

    private static IReadOnlyList<string> Answer(CardClick c, string word) => ["answer", c.Get("pilot") ?? "", word];

    public static readonly CardVerbDefinition Accept = new(AcceptVerb, "pilot", ["site", "vo"], c => Answer(c, "accept"));
    public static readonly CardVerbDefinition Decline = new(DeclineVerb, "pilot", ["site", "vo", "reason"], c => Answer(c, "decline"));
    public static readonly CardVerbDefinition Feedback = new(FeedbackVerb, "pilot", ["vo", "site", "text"], c => ["feedback", c.Get("pilot") ?? ""]);
}
