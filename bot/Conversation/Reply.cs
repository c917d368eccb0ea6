using System.Text.Json;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>
/// What a command answers. A refusal (<see cref="IsRefusal"/>) means nothing was changed: the pipeline rolls back
/// whatever the handler had started, so a refusal can never leave a half-written change behind.
/// </summary>
public sealed record Reply(string Text)
{
    /// <summary>A card shown with the text (a form, a choice of site).</summary>
    public JsonElement? Card { get; init; }

    /// <summary>The command was refused or could not be done: roll back, tell the asker why.</summary>
    public bool IsRefusal { get; init; }

    /// <summary>For a click on a card: the card as the clicker should now see it.</summary>
    public JsonElement? UpdatedCard { get; init; }

    public static implicit operator Reply(string text) => new(text);

    public static Reply No(string text) => new(text) { IsRefusal = true };

    public static Reply WithCard(string text, JsonElement card) => new(text) { Card = card };

    public BotMessage ToMessage() => Card is { } card ? BotMessage.WithCard(Text, card) : Text;
}
