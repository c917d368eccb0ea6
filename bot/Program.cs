using Rollout.Bot.Bulletins;
using Rollout.Bot.Conversation;
using Rollout.Bot.Coordination;
using Rollout.Bot.Hosting;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Metrics;
using Rollout.Bot.Notices;
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
builder.Services.AddCoordination();
builder.Services.AddRoleCommands();
builder.Services.AddEarlyAdopters();
builder.Services.AddTickets();
builder.Services.AddNotices();
builder.Services.AddDirectLine(builder.Configuration);
builder.Services.AddRolloutMetrics();
builder.Services.AddBulletins();
builder.Services.AddStatus();

var app = builder.Build();
await app.MigrateDatabaseAsync();
await app.SeedComponentCatalogueAsync();
await app.SeedMeetingsAsync();
// Resolve the registries now so a duplicate command or card verb stops the bot at start-up.
_ = app.Services.GetRequiredService<CommandRegistry>();
_ = app.Services.GetRequiredService<CardActionRegistry>();
_ = app.Services.GetRequiredService<ReminderRules>().Names;
app.Services.GetRequiredService<Reactions>().Bind();
app.MapBotMessages();
app.MapRolloutMetrics();
app.MapStatus();
app.MapCoordination();
app.MapGet("/healthz", () => "ok");
app.PrintUrlsWhenStarted();
app.MapDirectLine();
app.Run();

public partial class Program;
