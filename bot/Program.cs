using Rollout.Bot.Bulletins;
using Rollout.Bot.Conversation;
using Rollout.Bot.Hosting;
using Rollout.Bot.EarlyAdopters;
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

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddProtocol(builder.Configuration);
builder.Services.AddConversation();
builder.Services.AddScheduling(builder.Configuration);
builder.Services.AddRoleCommands();
builder.Services.AddEarlyAdopters();
builder.Services.AddTickets();
builder.Services.AddPilots();
builder.Services.AddNotices();
builder.Services.AddDirectLine(builder.Configuration);
builder.Services.AddRolloutMetrics();
builder.Services.AddBulletins();
builder.Services.AddStatus();
builder.AddOperations();

var app = builder.Build();
await app.MigrateDatabaseAsync();
await app.SeedComponentCatalogueAsync();
// Resolve the registries now so a duplicate command or card verb stops the bot at start-up.
_ = app.Services.GetRequiredService<CommandRegistry>();
_ = app.Services.GetRequiredService<CardActionRegistry>();
_ = app.Services.GetRequiredService<ReminderRules>().Names;
app.Services.GetRequiredService<Reactions>().Bind();
app.MapBotMessages();
app.MapRolloutMetrics();
app.MapStatus();
app.MapOperations();
app.PrintUrlsWhenStarted();
app.MapDirectLine();
app.Run();

public partial class Program;
