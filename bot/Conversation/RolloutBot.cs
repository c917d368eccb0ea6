using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>
/// Turn routing: a typed command or a card click goes to its command through the one pipeline; a person joining
/// is welcomed; anything else is answered kindly or left alone.
/// </summary>
public sealed class RolloutBot(CommandRegistry commands, CardActionRegistry cardActions, CommandPipeline pipeline) : IBot
{
    public async Task OnTurnAsync(TurnContext turn, CancellationToken ct)
    {
        switch (turn.Kind)
        {
            case TurnKind.CardClick:
                await OnClickAsync(turn, turn.Click!, ct);
                break;
            case TurnKind.Message:
                await OnMessageAsync(turn, ct);
                break;
            case TurnKind.MembersAdded:
                OnMembersAdded(turn);
                break;
        }
    }

    private async Task OnClickAsync(TurnContext turn, CardClick click, CancellationToken ct)
    {
        if (cardActions.Find(click.Verb) is not { } found)
        {
            var text = $"This button ('{click.Verb}') is not one I know any more. Type `help` for what I can do.";
            if (click.IsExecute) turn.AnswerInvoke(text);
            else turn.Reply(text);
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
        if (error is not null)
        {
            turn.Reply(error.Message);
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
            turn.Reply($"I don't know '{Limits.Echo(command.Name)}' on its own. Did you mean {list}? Type `help` for the list of commands.");
            return;
        }
        var closest = commands.Closest(command.Name);
        turn.Reply(closest is null
            ? $"I don't know '{Limits.Echo(command.Name)}'. Type `help` for the list of commands."
            : $"I don't know '{Limits.Echo(command.Name)}'. Did you mean `/{closest}`? Type `help` for the list of commands.");
    }

    private static void OnMembersAdded(TurnContext turn)
    {
        var names = string.Join(", ", turn.MembersAdded.Select(m => m.Name ?? m.Id));
        turn.Reply($"Welcome, {names}. I run the staged rollout of middleware releases: tickets, early adopters, " +
            "notices and deadlines. Type `help` to see what you can ask me.");
    }
}
