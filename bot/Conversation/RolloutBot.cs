using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>
/// Turn routing: a typed command or a card click goes to its command through the one pipeline; a person joining
/// is welcomed once per conversation; anything else is answered kindly or left alone.
/// </summary>
public sealed class RolloutBot(
    CommandRegistry commands, CardActionRegistry cardActions, CommandPipeline pipeline, Welcome welcome, PrivateAnswers privately) : IBot
{
    public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
    {
        // An id with invisible or direction-changing characters can pass for someone else's (issue 12.16): nothing runs as it.
        if (turn.Kind is TurnKind.Message or TurnKind.CardClick && EarlyAdopters.UserIds.Problem(turn.UserId) is { } problem)
        {
            var text = $"I cannot act for your chat user id: {problem.Replace("type the id", "ask your channel administrator for an id", StringComparison.Ordinal)}";
            if (turn.Click is { IsExecute: true }) turn.AnswerInvokeWithError(400, InvokeErrors.Refused, text);
            else turn.Reply(new BotMessage { Text = text });
            return;
        }
        switch (turn.Kind)
        {
            case TurnKind.CardClick:
                await OnClickAsync(turn, turn.Click!, ct);
                break;
            case TurnKind.Message:
                await OnMessageAsync(turn, ct);
                break;
            case TurnKind.MembersAdded:
                await welcome.OnJoinedAsync(turn, ct);
                break;
        }
    }

    private async Task OnClickAsync(TurnContext turn, CardClick click, CancellationToken ct)
    {
        if (cardActions.Find(click.Verb) is not { } found)
        {
            var text = $"This button ('{click.Verb}') is not one I know any more. Type `help` for what I can do.";
            if (click.IsExecute) turn.AnswerInvokeWithError(400, InvokeErrors.UnknownButton, text);
            else await privately.TellAsync(turn, text, ct);
            return;
        }
        await pipeline.RunAsync(turn, found.Command, found.Verb.ToCommand(click), ct);
    }

    private async Task OnMessageAsync(TurnContext turn, CancellationToken ct)
    {
        if (turn.Text.Length > Limits.TextChars)
        {
            turn.Reply(Limits.TooLong("Your message", turn.Text.Length, Limits.TextChars));
            return;
        }
        var (command, error) = CommandParser.Parse(turn.Text);
        // Not understood: that is for the one who typed it, not for the room.
        if (error is not null)
        {
            await privately.TellAsync(turn, error.Message, ct);
            return;
        }
        if (command is null) return; // Empty text, e.g. a card submit without data.

        if (commands.Find(command.Name) is { } definition)
        {
            await pipeline.RunAsync(turn, definition, command, ct);
            return;
        }
        var subcommands = commands.WithSubcommand(command.Name);
        if (subcommands.Count > 0)
        {
            var options = subcommands.Select(c => $"`/{c}`").ToList();
            var list = options.Count == 1 ? options[0] : string.Join(", ", options.SkipLast(1)) + " or " + options[^1];
            await privately.TellAsync(turn, $"I don't know '{Limits.Echo(command.Name)}' on its own. Did you mean {list}? Type `help` for the list of commands.", ct);
            return;
        }
        var closest = commands.Closest(command.Name);
        await privately.TellAsync(turn, closest is null
            ? $"I don't know '{Limits.Echo(command.Name)}'. Type `help` for the list of commands."
            : $"I don't know '{Limits.Echo(command.Name)}'. Did you mean `/{closest}`? Type `help` for the list of commands.", ct);
    }
}
