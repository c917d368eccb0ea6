using Rollout.Bot.Bulletins;
using Rollout.Bot.Conversation;
using Rollout.Bot.Coordination;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Identity;
using Rollout.Bot.Metrics;
using Rollout.Bot.Notices;
using Rollout.Bot.Operations;
using Rollout.Bot.Pilots;
using Rollout.Bot.Protocol;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Status;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Hosting;

/// <summary>The bot's services and configuration, one list; the operator's verbs (import, export, backup, restore) use the same.</summary>
public static class RolloutHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorage(builder.Configuration);
        builder.Services.AddProtocol(builder.Configuration);
        builder.Services.AddConversation();
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddCoordination();
        builder.Services.AddRoleCommands();
        builder.Services.AddEarlyAdopters();
        builder.Services.AddTickets();
        builder.Services.AddPilots();
        builder.Services.AddNotices();
        builder.Services.AddDirectLine(builder.Configuration);
        builder.Services.AddWebChatSignIn(builder.Configuration);
        builder.Services.AddRolloutMetrics();
        builder.Services.AddBulletins();
        builder.Services.AddStatus();
        builder.AddOperations();
        return builder.Build();
    }
}
