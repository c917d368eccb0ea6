namespace Rollout.Bot.Protocol;

/// <summary>What the protocol layer calls for every inbound activity (Bot Builder's IBot).</summary>
public interface IBot
{
    Task OnTurnAsync(TurnContext turn, CancellationToken ct);
}
