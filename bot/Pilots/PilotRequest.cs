using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Steps 1–2 of seed 001 and the appointment of seed 000: anyone with a role forwards a request (for a VO, a developer,
/// the EMT or an ITR contact); a coordinator pre-screens it and appoints the pilot coordinator.
/// </summary>
public static class PilotRequest
{
    public static async Task<Reply> RequestAsync(CommandSession s, PilotTools tools)
    {
        if (s.Caller.Roles.Count == 0)
            return Refusals.Role(s.Caller, "people with a role (a site admin, a provider, a coordinator…)", "request a pilot");
        var input = new CommandInput(s.Command, "title", "component", "version", "ticket", "category", "requester", "kind", "objectives", "vos");
        var title = input.Required("title", "what is to be piloted, in quotes");
        var (component, version) = (input.Optional("component"), input.Optional("version"));
        Ticket? ticket = null;
        if (input.Optional("ticket") is { } ticketText)
        {
            if (!long.TryParse(ticketText.TrimStart('#'), out var n)) input.Problem($"`ticket={ticketText}` is not a ticket number like #12.");
            else if ((ticket = await s.Db.Tickets.AsNoTracking().Where(Visibility.For(s.Caller)).FirstOrDefaultAsync(t => t.Id == n, s.Ct)) is null)
                input.Problem($"There is no ticket #{n} (or you may not see it).");
            else if (ticket.IsRestricted)
                input.Problem($"#{n} is restricted: pilots are shown in bulletins and on /status, so it can be piloted once it is disclosed.");
        }
        component ??= ticket?.Component;
        version ??= ticket?.Version;
        if (component is null || version is null) input.Problem("Say what is piloted: `component=… version=…`, or link the release with `ticket=#N`.");
        var categoryText = input.Required("category", UpdateCategories.All);
        var category = default(UpdateCategory);
        if (categoryText.Length > 0 && !UpdateCategories.TryParse(categoryText, out category))
            input.Problem($"`category={categoryText}` is not an update category (seed 004): {UpdateCategories.All}.");
        else if (categoryText.Length > 0 && category.PartnerLevel() is null)
            input.Problem($"A {category.Describe()} needs no pilot: the staged rollout is enough.");
        var requester = input.Required("requester", "who asks for it (a VO, a developer, the EMT, an ITR contact), in quotes");
        var kindText = input.Required("kind", "vo, developer, emt or itr");
        if (kindText.Length > 0 && !Names.TryParse<RequesterKind>(kindText, out _))
            input.Problem($"`kind={kindText}` is not a requester kind: vo, developer, emt, itr.");
        Names.TryParse<RequesterKind>(kindText, out var kind);
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot request");

        var pilot = Pilot.Open(new Pilot
        {
            Title = title, Component = component, Version = version, TicketId = ticket?.Id, Category = category, Requester = requester,
            RequesterKind = kind, Objectives = input.Optional("objectives"), WantedVos = input.Optional("vos"),
            RequestedBy = s.Caller.UserId, RequestedByName = s.Caller.Name,
        }, s.Actor, s.Now);
        s.Db.Pilots.Add(pilot);
        await s.Db.SaveChangesAsync(s.Ct);
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:requested", PilotCommand.Coordinators,
            $"New pilot request **{pilot.Number}**: {pilot.What}, a {category.Describe()}, asked by {requester} ({Names.Of(kind)}) through {s.Caller.Name}." +
            $"{(pilot.Objectives is null ? "" : $" Objectives: {pilot.Objectives}.")} Pre-screen it: `/pilot screen {pilot.Number} accept|decline reason=\"…\"`.", s.Ct);
        return $"Pilot **{pilot.Number}** requested: {pilot.What}, {category.Describe()} (pilot sites come from the " +
            $"{Partners.Name(category.PartnerLevel()!.Value)} partners). The coordinators are told and will pre-screen it; `/pilot show {pilot.Number}` follows it.";
    }

    public static async Task<Reply> ScreenAsync(CommandSession s, PilotTools tools)
    {
        if (s.Require(Role.Coordinator, "pre-screen a pilot request") is { } refused) return refused;
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var word = PilotCommand.Word(s);
        if (word is not ("accept" or "decline"))
            return Refusals.Problem("Say `accept` or `decline` after the pilot number.", PilotCommand.Usage, "/pilot screen");
        if (new CommandInput(s.Command, "reason") is { IsValid: false } bad) return bad.Refusal(PilotCommand.Usage, "/pilot screen");
        var reason = s.Command.Get("reason")?.Trim();
        if (pilot.Screen(word == "accept", reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        var told = word == "accept"
            ? $"{pilot.Number} ({pilot.What}) passed the pre-screen by {s.Caller.Name}; next: a pilot coordinator and candidate sites."
            : $"{pilot.Number} ({pilot.What}) was declined by {s.Caller.Name}: {reason}.";
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:screened", NoticeRecipient.User(pilot.RequestedBy), told, s.Ct);
        return word == "accept"
            ? $"{pilot.Number} is screened. Next: `/pilot coordinator {pilot.Number} user=…`, `/pilot candidates {pilot.Number}` and `/pilot invite`."
            : $"{pilot.Number} is declined; {pilot.RequestedByName} is told why.";
    }

    public static async Task<Reply> AppointAsync(CommandSession s, PilotTools tools)
    {
        if (s.Require(Role.Coordinator, "appoint a pilot coordinator") is { } refused) return refused;
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var input = new CommandInput(s.Command, "user", "name");
        var user = input.Required("user", "the person's chat user id (they see it with `/whoami`)");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot coordinator");
        if (!pilot.State.IsOpen()) return Reply.No($"{pilot.Number} is {pilot.State.ToName()}: it needs no coordinator any more.");
        if (pilot.CoordinatorId == user) return Reply.No($"{user} already coordinates {pilot.Number}.");
        var name = input.Optional("name") ?? await KnownNameAsync(s, user) ?? user;
        pilot.Appoint(user, name, s.Actor, s.Now);
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:coordinator:{user}", NoticeRecipient.User(user),
            $"{s.Caller.Name} appointed you pilot coordinator of **{pilot.Number}** ({pilot.What}). You consolidate the use cases, objectives and " +
            $"sites, run the kick-off (`/pilot kickoff {pilot.Number} …`), follow the run and close it with the wrap-up. `/pilot show {pilot.Number}`.", s.Ct);
        return $"{name} ({user}) is the pilot coordinator of {pilot.Number}, and is told so.";
    }

    private static Task<string?> KnownNameAsync(CommandSession s, string userId) =>
        s.Db.SiteAdmins.AsNoTracking().Where(a => a.UserId == userId).Select(a => a.Name).FirstOrDefaultAsync(s.Ct);
}

