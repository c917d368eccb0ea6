using System.Text;
using NodaTime.Text;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Scheduling;

/// <summary><c>/meetings</c> (everyone) and <c>/bulletin preview</c> (coordinators).</summary>
public static class MeetingCommands
{
    private static readonly LocalDateTimePattern When = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM yyyy HH:mm");
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static CommandDefinition Meetings(MeetingCatalog catalog) => new("meetings", "Everyone", ["/meetings"],
        "the operations meetings, their next dates and bulletin times", Writes: false, s => Task.FromResult<Reply>(Render(catalog.All, s.Now)));

    public static readonly IReadOnlyList<string> BulletinUsage = ["/bulletin preview [meeting=\"NAME\"]", "/bulletin post [meeting=\"NAME\"]"];

    public static CommandDefinition Bulletin(MeetingCatalog catalog, BulletinPoster poster) => new("bulletin", "Coordinator", BulletinUsage,
        "the bulletin of the next meeting: preview it, or post it to its channel now", Writes: true, s => PreviewAsync(s, catalog, poster));

    public static string Render(IReadOnlyList<Meeting> meetings, DateTimeOffset now, int count = 3)
    {
        if (meetings.Count == 0) return "No meetings are configured (Scheduling:Meetings).";
        var text = new StringBuilder("**Meetings**\n");
        foreach (var m in meetings)
        {
            text.Append("\n**").Append(m.Name).Append("** — ").Append(m.Every).Append(", ").Append(m.Day).Append(' ')
                .Append(Time.Format(m.Time)).Append(' ').Append(m.Zone.Id).Append("; bulletin ")
                .Append(Lead(m.BulletinLead)).Append(" before, to the `").Append(m.Channel).Append("` channel\n");
            foreach (var o in m.OccurrencesAfter(now).Take(count))
                text.Append("- ").Append(When.Format(o.LocalStart)).Append(" (bulletin ").Append(When.Format(o.LocalBulletinAt)).Append(")\n");
        }
        return text.ToString();
    }

    private static string Lead(NodaTime.Duration lead)
    {
        var span = lead.ToTimeSpan();
        var hours = (int)span.TotalHours;
        return (hours, span.Minutes) switch
        {
            (0, var m) => $"{m} min",
            (var h, 0) => $"{h} h",
            var (h, m) => $"{h} h {m} min",
        };
    }

    private static async Task<Reply> PreviewAsync(CommandSession s, MeetingCatalog catalog, BulletinPoster poster)
    {
        if (s.Require(Role.Coordinator, "preview or post the bulletin (it is posted to the operations channel before each meeting)") is { } refused)
            return refused;
        if (s.Command.Verb is not ("preview" or "post")) return Reply.No($"Usage: `{BulletinUsage[0]}` or `{BulletinUsage[1]}`");
        var named = s.Command.Get("meeting");
        var meetings = named is null ? catalog.All : catalog.Find(named) is { } found ? [found] : [];
        if (meetings.Count == 0)
            return Reply.No(named is null
                ? "No meetings are configured (Scheduling:Meetings), so there is no bulletin."
                : $"There is no meeting '{named}'. Known: {string.Join(", ", catalog.All.Select(m => $"\"{m.Name}\""))}.");
        var next = meetings.Select(m => m.OccurrencesAfter(s.Now).First()).OrderBy(o => o.Start).First();
        if (s.Command.Verb == "preview") return await poster.BuildAsync(s.Db, next, s.Ct, s.Now);
        return await poster.PostAsync(s.Db, next, s.Now, s.Ct)
            ? $"Posted the bulletin of {next.Meeting.Name} to the `{next.Meeting.Channel}` channel."
            : Reply.No($"The bulletin of {next.Meeting.Name} for this meeting was already posted; `/bulletin preview` shows it as it would be now.");
    }
}
