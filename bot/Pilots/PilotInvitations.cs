using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Step 2 of seed 001: candidate sites from the category's partner bin (committed to the component first, with their
/// time zone and current pilot load), invitations as cards to the sites' admins and the VOs' contacts, and the answers.
/// </summary>
public static class PilotInvitations
{
    private static readonly PilotState[] Inviting = [PilotState.Screened, PilotState.KickOffPlanned];

    public static async Task<Reply> CandidatesAsync(CommandSession s)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "see a pilot's candidate sites") is { } refused) return refused;
        var level = pilot.Category.PartnerLevel()!.Value;
        var bin = await Partners.Active(s.Db).AsNoTracking().Where(p => p.Level == level).Include(p => p.Site).ToListAsync(s.Ct);
        var component = pilot.Component?.ToLowerInvariant();
        var committed = (await s.Db.Commitments.AsNoTracking().Where(c => c.EndedAt == null && c.Component.ToLower() == component)
            .Select(c => c.SiteId).ToListAsync(s.Ct)).ToHashSet();
        var load = await PilotQueries.LoadBySiteAsync(s.Db, s.Ct);
        var invited = pilot.Sites().Select(x => x.SiteId).ToHashSet();
        var candidates = bin.Where(p => !invited.Contains(p.SiteId))
            .OrderByDescending(p => committed.Contains(p.SiteId)).ThenBy(p => load.GetValueOrDefault(p.SiteId)).ThenBy(p => p.Site!.Name).ToList();
        var text = new StringBuilder($"**Candidate sites for {pilot.Number}** ({Partners.Name(level)} partners; {pilot.Component} committed first, then the least loaded)\n");
        if (candidates.Count == 0) text.Append($"- no {Partners.Name(level)} partner is left to invite; a volunteer can be invited by name.\n");
        foreach (var c in candidates)
            text.Append($"- **{c.Site!.Name}**: {(committed.Contains(c.SiteId) ? $"committed to {pilot.Component}" : "not committed to it")}, " +
                $"{c.Site.TimeZone ?? "coordinators' time zone"}, pilots now: {load.GetValueOrDefault(c.SiteId)}" +
                $"{(c.Interest is null ? "" : $", interest: {c.Interest}")}\n");
        if (pilot.Sites().Any()) text.Append($"Already invited: {PilotCommand.Describe(pilot.Sites())}.\n");
        text.Append($"Invite with `/pilot invite {pilot.Number} site=…`.");
        return text.ToString();
    }

    public static async Task<Reply> InviteSiteAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "invite sites to a pilot") is { } refused) return refused;
        var input = new CommandInput(s.Command, "site");
        var name = input.Required("site", "the site's name (`/pilot candidates` proposes some)");
        var site = name.Length > 0 ? await Sites.FindAsync(s.Db, name, s.Ct) : null;
        if (name.Length > 0 && site is null) input.Problem($"I know no site named **{name}**. `/partners` lists the partner sites.");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot invite");
        if (!Inviting.Contains(pilot.State))
            return Reply.No($"{pilot.Number} is {pilot.State.ToName()}: sites are invited once it is screened and before it starts.");
        if (pilot.Sites().Any(x => x.SiteId == site!.Id)) return Reply.No($"**{site!.Name}** is already invited to {pilot.Number}.");
        var level = pilot.Category.PartnerLevel()!.Value;
        var isPartner = await Partners.Active(s.Db).AnyAsync(p => p.SiteId == site!.Id && p.Level == level, s.Ct);
        var admins = await s.Db.SiteAdmins.AsNoTracking().Where(a => a.SiteId == site!.Id && a.RemovedAt == null).Select(a => a.UserId).ToListAsync(s.Ct);
        if (admins.Count == 0) return Reply.No($"**{site!.Name}** has no admin to ask; add one with `/site admin` first.");

        var x = new PilotParticipant { Kind = ParticipantKind.Site, Name = site!.Name, SiteId = site.Id, State = ParticipantState.Invited, InvitedAt = s.Now };
        pilot.Invite(x, s.Actor, s.Now);
        var key = PilotCards.InvitationKey(pilot, x);
        foreach (var admin in admins)
            await tools.Outbox.AddAsync(s.Db, key, NoticeRecipient.User(admin), PilotCards.Invitation(pilot, x), key, s.Ct);
        return $"**{site.Name}** is invited to {pilot.Number}: its admins ({string.Join(", ", admins)}) have the card." +
            (isPartner ? "" : $" It is not a {Partners.Name(level)} partner: invited as a volunteer.");
    }

    public static async Task<Reply> InviteVoAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "invite VOs to a pilot") is { } refused) return refused;
        var input = new CommandInput(s.Command, "name", "contact");
        var name = input.Required("name", "the VO's name, e.g. `name=atlas`").ToLowerInvariant();
        var contact = input.Required("contact", "the chat user id of the VO's contact, who answers and gives feedback");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot vo");
        if (!Inviting.Contains(pilot.State) && pilot.State is not (PilotState.SettingUp or PilotState.Running))
            return Reply.No($"{pilot.Number} is {pilot.State.ToName()}: VOs are invited from the pre-screen until the run.");
        if (pilot.Vos().Any(v => v.Name == name)) return Reply.No($"VO **{name}** is already invited to {pilot.Number}.");
        var x = new PilotParticipant { Kind = ParticipantKind.Vo, Name = name, ContactUserId = contact, State = ParticipantState.Invited, InvitedAt = s.Now };
        pilot.Invite(x, s.Actor, s.Now);
        var key = PilotCards.InvitationKey(pilot, x);
        await tools.Outbox.AddAsync(s.Db, key, NoticeRecipient.User(contact), PilotCards.Invitation(pilot, x), key, s.Ct);
        return $"VO **{name}** is told of {pilot.Number}'s new features and asked for its interest: {contact} has the card.";
    }

    public static async Task<Reply> AnswerAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var word = PilotCommand.Word(s);
        if (word is not ("accept" or "decline"))
            return Refusals.Problem("Say `accept` or `decline` after the pilot number.", PilotCommand.Usage, "/pilot answer");
        var input = new CommandInput(s.Command, "site", "vo", "reason");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot answer");
        var (x, refused) = s.Command.Get("vo") is { } vo
            ? PilotCommand.VoOf(s, pilot, vo, $"answer for a VO")
            : PilotCommand.SiteOf(s, pilot, input.Optional("site"), "answer a pilot invitation for their site", leadMay: false);
        if (x is null) return refused!;
        var reason = input.Optional("reason");
        if (word == "decline" && reason is null) return Reply.No("Say why with `reason=\"…\"`: the coordinators read it.");
        if (pilot.Answer(x, word == "accept", reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        var key = PilotCards.InvitationKey(pilot, x);
        await tools.Outbox.AddCardUpdateAsync(s.Db, key, PilotCards.Invitation(pilot, x), s.Ct);
        var told = $"{Names.Of(x.Kind)} {x.Name} {(word == "accept" ? "accepted" : $"declined ({reason})")} the invitation to {pilot.Number} ({pilot.What}).";
        await tools.Outbox.AddAsync(s.Db, $"{key}:{word}", pilot.CoordinatorId is { } c ? NoticeRecipient.User(c) : PilotCommand.Coordinators, told, s.Ct);
        return word == "accept"
            ? $"Thank you: {x.Name} takes part in {pilot.Number}. The kick-off is announced in the pilot's room and in your chat."
            : $"Noted: {x.Name} does not take part in {pilot.Number}.";
    }
}
