using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>Turn routing: typed commands to their handlers, card clicks to their verbs, everything else answered kindly.</summary>
public sealed class RolloutBot(
    CommandRegistry commands, CardActionRegistry cardActions, IServiceScopeFactory scopes, ILogger<RolloutBot> logger) : IBot
{
    public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
    {
        switch (turn.Kind)
        {
            case TurnKind.Message:
            case TurnKind.CardClick:
                await OnMessageOrInvokeAsync(turn, ct);
                break;
            case TurnKind.MembersAdded:
                OnMembersAdded(turn);
                break;
        }
    }

    private async Task OnMessageOrInvokeAsync(TurnContext turn, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (turn.Click is { } click)
        {
            var verb = cardActions.Find(click.Verb);
            if (verb is null)
            {
                Answer(turn, click.IsExecute, $"This button ('{click.Verb}') is not one I know any more. Type `help` for what I can do.");
                return;
            }
            await verb.Handler(new CardActionContext(turn, click, scope.ServiceProvider, ct));
            return;
        }

        var (command, error) = CommandParser.Parse(turn.Text);
        if (error is not null)
        {
            turn.Reply(error.Message);
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
                turn.Reply($"I don't know '{command.Name}' on its own. Did you mean {list}? Type `help` for the list of commands.");
                return;
            }
            var closest = commands.Closest(command.Name);
            turn.Reply(closest is null
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
            turn.Reply($"Sorry, `/{command.Name}` failed on my side and changed nothing. The error has been logged.");
        }
    }

    private static void Answer(TurnContext turn, bool isExecute, string text)
    {
        if (isExecute)
            turn.AnswerInvoke(text);
        else
            turn.Reply(text);
    }

    private static void OnMembersAdded(TurnContext turn)
    {
        var names = string.Join(", ", turn.MembersAdded.Select(m => m.Name ?? m.Id));
        turn.Reply($"Welcome, {names}. I run the staged rollout of middleware releases: tickets, early adopters, " +
            "notices and deadlines. Type `help` to see what you can ask me.");
    }
}
