using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary><c>/bulletin preview|post</c> (coordinators): the bulletin of the next meeting that has one.</summary>
public static class BulletinCommand
{
    public static readonly IReadOnlyList<string> Usage = ["/bulletin preview [meeting=\"NAME\"]", "/bulletin post [meeting=\"NAME\"]"];

    public static CommandDefinition Definition(MeetingCatalog catalog, BulletinPoster poster) => new("bulletin", "Coordinator", Usage,
        "the bulletin of the next meeting: preview it, or post it to its channel now", Writes: true, s => RunAsync(s, catalog, poster));

    private static async Task<Reply> RunAsync(CommandSession s, MeetingCatalog catalog, BulletinPoster poster)
    {
        if (s.Require(Role.Coordinator, "preview or post the bulletin (it is posted to the operations channel before each meeting)") is { } refused)
            return refused;
        if (s.Command.Verb is not ("preview" or "post")) return Reply.No($"Usage: `{Usage[0]}` or `{Usage[1]}`");
        var named = s.Command.Get("meeting");
        var all = await catalog.AllAsync(s.Db, s.Ct);
        var meetings = named is null
            ? all.Where(m => m.HasBulletin).ToList()
            : all.Where(m => StoredMeeting.Key(m.Name) == StoredMeeting.Key(named)).ToList();
        if (meetings.Count == 0)
            return Reply.No(named is null
                ? "No meeting has a bulletin, so there is none to show. Switch one on with `/meeting set \"NAME\" bulletin=on`."
                : $"There is no meeting '{named}'. Known: {MeetingCommands.Names(all)}.");
        var next = meetings.Select(m => m.OccurrencesAfter(s.Now).FirstOrDefault()).OfType<MeetingOccurrence>().OrderBy(o => o.Start).FirstOrDefault();
        if (next is null) return Reply.No($"{meetings[0].Name} has no occurrence after now, so there is no bulletin to come.");
        if (s.Command.Verb == "preview")
            return (next.Meeting.HasBulletin ? "" : $"({next.Meeting.Name} has its bulletin switched off; this is what it would say.)\n") +
                await poster.BuildAsync(s.Db, next, s.Ct, s.Now);
        if (!next.Meeting.HasBulletin)
            return Reply.No($"{next.Meeting.Name} has its bulletin switched off; switch it on with `/meeting set \"{next.Meeting.Name}\" bulletin=on` first.");
        return await poster.PostAsync(s.Db, next, s.Now, s.Ct)
            ? $"Posted the bulletin of {next.Meeting.Name} to the `{next.Meeting.Channel}` channel."
            : Reply.No($"The bulletin of {next.Meeting.Name} for this meeting was already posted; `/bulletin preview` shows it as it would be now.");
    }
}
