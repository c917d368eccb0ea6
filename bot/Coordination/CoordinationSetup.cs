using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;
using Rollout.Bot.Hosting;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>Operations coordination (seed 003): meetings as data, agendas, minutes, action lists and task forces.</summary>
public static class CoordinationSetup
{
    public static IServiceCollection AddCoordination(this IServiceCollection services)
    {
        services.AddSingleton<MeetingCatalog>();
        services.AddSingleton<MeetingPage>();
        services.AddCommand(sp => MeetingCommands.Meetings(sp.Get<MeetingCatalog>()));
        services.AddCommand(sp => MeetingCommands.Meeting(sp.Get<MeetingCatalog>(), sp.Get<MeetingPage>()));
        services.AddCommand(sp => BulletinCommand.Definition(sp.Get<MeetingCatalog>(), sp.Get<BulletinPoster>()));

        services.AddSingleton<ActionReminders>();
        services.AddSingleton<ActionList>();
        services.AddCommand(sp => ActionCommands.Action(sp.Get<ActionReminders>(), sp.Get<MeetingCatalog>(), sp.Get<Notices.Outbox>()));
        services.AddCommand(sp => ActionCommands.Actions(sp.Get<ActionList>()));
        services.AddReminderRule(sp => new ReminderRule(ActionReminders.DueSoon, f => sp.Get<ActionReminders>().FireAsync(f, overdue: false)));
        services.AddReminderRule(sp => new ReminderRule(ActionReminders.Overdue, f => sp.Get<ActionReminders>().FireAsync(f, overdue: true)));
        services.AddContribution<Bulletins.BulletinSection>("actions", 200, sp => sp.Get<ActionList>().BulletinAsync);
        services.AddContribution<Status.StatusSection>("actions", 200, sp => sp.Get<ActionList>().StatusAsync);
        services.AddContribution<Status.CalendarSource>("actions", 200, sp => sp.Get<ActionList>().CalendarAsync);

        services.AddSingleton<TaskForceList>();
        services.AddCommand(sp => TaskForceCommands.TaskForces(sp.Get<TaskForceList>()));
        services.AddCommand(sp => TaskForceCommands.Definition(sp.Get<TaskForceList>(), sp.Get<Notices.Outbox>()));
        services.AddContribution<Bulletins.BulletinSection>("task forces", 210, sp => sp.Get<TaskForceList>().BulletinAsync);
        services.AddContribution<Status.StatusSection>("task forces", 210, sp => sp.Get<TaskForceList>().StatusAsync);

        services.AddCommand(sp => AgendaCommands.Definition(sp.Get<MeetingCatalog>()));
        services.AddCommand(sp => MinutesCommands.Definition(sp.Get<MeetingCatalog>()));
        services.AddContribution<Bulletins.BulletinSection>("agenda", 50, _ => AgendaCommands.BulletinAsync);
        services.AddContribution<Bulletins.BulletinSection>("minutes", 60, _ => MinutesCommands.BulletinAsync);
        services.AddContribution<Status.FeedSource>("minutes", 100, _ => MinutesFeed.LoadAsync);
        return services;
    }

    /// <summary>The published minutes, with the status pages (off with them).</summary>
    public static IEndpointRouteBuilder MapCoordination(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/minutes/{id:long}", async (long id, IDbContextFactory<RolloutDb> dbs, IOptions<Status.StatusOptions> options, CancellationToken ct) =>
        {
            if (!options.Value.Enabled) return Results.NotFound();
            await using var db = await dbs.CreateDbContextAsync(ct);
            return await MinutesCommands.PageAsync(db, id, ct) is { } html ? Results.Content(html, "text/html; charset=utf-8") : Results.NotFound();
        });
        return app;
    }
}
