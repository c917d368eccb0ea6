using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddProtocol(builder.Configuration);
builder.Services.AddConversation();
builder.Services.AddDirectLine(builder.Configuration);

var app = builder.Build();
await app.MigrateDatabaseAsync();
// Resolve the registries now so a duplicate command or card verb stops the bot at start-up.
_ = app.Services.GetRequiredService<CommandRegistry>();
_ = app.Services.GetRequiredService<CardActionRegistry>();
app.MapBotMessages();
app.MapGet("/healthz", () => "ok");
app.MapDirectLine();
app.Run();

public partial class Program;
