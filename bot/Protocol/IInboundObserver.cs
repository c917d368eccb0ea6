using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Told of every authenticated, non-duplicate inbound activity before the turn runs (e.g. to remember a person's
/// personal conversation). Register with <c>services.AddSingleton&lt;IInboundObserver, T&gt;()</c>.
/// </summary>
public interface IInboundObserver
{
    Task OnInboundAsync(Activity activity, CancellationToken ct);
}
