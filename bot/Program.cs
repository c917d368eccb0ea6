using Rollout.Bot.Conversation;
using Rollout.Bot.Coordination;
using Rollout.Bot.Hosting;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Identity;
using Rollout.Bot.Metrics;
using Rollout.Bot.Operations;
using Rollout.Bot.Protocol;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Status;
using Rollout.Bot.Storage;

if (OperatorCli.Handles(args)) return await OperatorCli.RunAsync(args, RolloutHost.Build, Console.Out, Console.Error);

var app = RolloutHost.Build(args);
var model = app.BuildStorageModelAsync();
await app.MigrateDatabaseAsync();
var scheduler = app.PrepareSchedulerAsync();
await model;
await app.SeedComponentCatalogueAsync();
await app.SeedMeetingsAsync();
await scheduler;
// Resolve the registries now so a duplicate command or card verb stops the bot at start-up.
_ = app.Services.GetRequiredService<CommandRegistry>();
_ = app.Services.GetRequiredService<CardActionRegistry>();
_ = app.Services.GetRequiredService<ReminderRules>().Names;
app.Services.GetRequiredService<Reactions>().Bind();
app.MapBotMessages();
app.MapRolloutMetrics();
app.MapStatus();
app.MapOperations();
app.MapCoordination();
app.PrintUrlsWhenStarted();
app.MapWebChatSignIn();
app.MapDirectLine();
await app.RunAsync();
return 0;

public partial class Program;
