using Rollout.Bot.Conversation;
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
        return services;
    }
}
