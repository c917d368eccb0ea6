using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Conversation;

/// <summary>Turn routing: typed commands to their handlers, card clicks to their verbs, everything else answered kindly.</summary>
public sealed class RolloutBot(
    CommandRegistry commands, CardActionRegistry cardActions, IServiceScopeFactory scopes, ILogger<RolloutBot> logger) : IBot
{
    public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
    {
        switch (turn.Activity.Type)
        {
            case ActivityTypes.Message:
            case ActivityTypes.Invoke:
                await OnMessageOrInvokeAsync(turn, ct);
                break;
            case ActivityTypes.ConversationUpdate:
                OnConversationUpdate(turn);
                break;
        }
    }

    private async Task OnMessageOrInvokeAsync(TurnContext turn, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (CardActionRegistry.Extract(turn) is { } click)
        {
            var verb = cardActions.Find(click.Verb);
            if (verb is null)
            {
                Answer(turn, click.IsExecute, $"This button ('{click.Verb}') is not one I know any more. Type `help` for what I can do.");
                return;
            }
            await verb.Handler(new CardActionContext(turn, click.Verb, click.Data, click.IsExecute, scope.ServiceProvider, ct));
            return;
        }
        if (turn.IsInvoke) return; // An invoke we do not handle: the adapter answers 501, as Bot Builder does.

        var (command, error) = CommandParser.Parse(turn.Text);
        if (error is not null)
        {
            turn.SendActivity(error.Message);
            return;
        }
        if (command is null) return; // Empty text, e.g. a card submit without data.

        var definition = commands.Find(command.Name);
        if (definition is null)
        {
            var subcommands = commands.WithSubcommand(command.Name);
            if (subcommands.Count > 0)
            {
                var options = subcommands.Select(c => $"`/{c}`").ToList();
                var list = options.Count == 1 ? options[0] : string.Join(", ", options.SkipLast(1)) + " or " + options[^1];
                turn.SendActivity($"I don't know '{command.Name}' on its own. Did you mean {list}? Type `help` for the list of commands.");
                return;
            }
            var closest = commands.Closest(command.Name);
            turn.SendActivity(closest is null
                ? $"I don't know '{command.Name}'. Type `help` for the list of commands."
                : $"I don't know '{command.Name}'. Did you mean `/{closest}`? Type `help` for the list of commands.");
            return;
        }
        try
        {
            await definition.Handler(new CommandContext(turn, command, scope.ServiceProvider, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Command /{Command} failed", command.Name);
            turn.SendActivity($"Sorry, `/{command.Name}` failed on my side and changed nothing. The error has been logged.");
        }
    }

    private static void Answer(TurnContext turn, bool isExecute, string text)
    {
        if (isExecute)
            turn.InvokeResponse = InvokeResponses.Message(text);
        else
            turn.SendActivity(text);
    }

    private static void OnConversationUpdate(TurnContext turn)
    {
        var botId = turn.Activity.Recipient?.Id;
        var joined = turn.Activity.MembersAdded?.Where(m => m.Id != botId).ToList() ?? [];
        if (joined.Count == 0) return;
        var names = string.Join(", ", joined.Select(m => m.Name ?? m.Id));
        turn.SendActivity($"Welcome, {names}. I run the staged rollout of middleware releases: tickets, early adopters, " +
            "notices and deadlines. Type `help` to see what you can ask me.");
    }
}
