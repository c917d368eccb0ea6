using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

/// <summary><c>/meetings</c> (everyone) and <c>/bulletin preview</c> (coordinators).</summary>
public static class MeetingCommands
{
    private static readonly LocalDateTimePattern When = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM yyyy HH:mm");
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static readonly CommandDefinition Meetings = new("meetings", "Everyone", ["/meetings"],
        "the operations meetings, their next dates and bulletin times", ctx =>
        {
            var meetings = ctx.Services.GetRequiredService<MeetingCatalog>().All;
            ctx.Reply(Render(meetings, ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow()));
            return Task.CompletedTask;
        });

    public static readonly CommandDefinition Bulletin = new("bulletin", "Coordinator", ["/bulletin preview [meeting=\"NAME\"]", "/bulletin post [meeting=\"NAME\"]"],
        "the bulletin of the next meeting: preview it, or post it to its channel now", PreviewAsync);

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

    private static async Task PreviewAsync(CommandContext ctx)
    {
        var ct = ctx.Cancellation;
        await using var db = await ctx.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ct);
        var caller = await ctx.Services.GetRequiredService<CallerResolver>().ResolveAsync(ctx.Turn, db, ct);
        if (!caller.IsCoordinator)
        {
            ctx.Reply("Only coordinators can preview or post the bulletin; it is posted to the operations channel before each meeting.");
            return;
        }
        if (ctx.Command.Verb is not ("preview" or "post"))
        {
            ctx.Reply($"Usage: `{Bulletin.Usage[0]}` or `{Bulletin.Usage[1]}`");
            return;
        }
        var catalog = ctx.Services.GetRequiredService<MeetingCatalog>();
        var now = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var named = ctx.Command.Get("meeting");
        var meetings = named is null ? catalog.All : catalog.Find(named) is { } found ? [found] : [];
        if (meetings.Count == 0)
        {
            ctx.Reply(named is null
                ? "No meetings are configured (Scheduling:Meetings), so there is no bulletin."
                : $"There is no meeting '{named}'. Known: {string.Join(", ", catalog.All.Select(m => $"\"{m.Name}\""))}.");
            return;
        }
        var next = meetings.Select(m => m.OccurrencesAfter(now).First()).OrderBy(o => o.Start).First();
        var poster = ctx.Services.GetRequiredService<BulletinPoster>();
        if (ctx.Command.Verb == "preview")
            ctx.Reply(await poster.BuildAsync(db, next, ct, now));
        else
            ctx.Reply(await poster.PostAsync(db, next, now, ct)
                ? $"Posted the bulletin of {next.Meeting.Name} to the `{next.Meeting.Channel}` channel."
                : $"The bulletin of {next.Meeting.Name} for this meeting was already posted; `/bulletin preview` shows it as it would be now.");
    }
}
