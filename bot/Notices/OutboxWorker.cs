using Microsoft.Extensions.Options;

namespace Rollout.Bot.Notices;

/// <summary>
/// Runs the dispatcher: a round whenever notices commit (the outbox signal), when the earliest retry falls due, and
/// at least every poll interval. Thin on purpose; the behaviour lives in <see cref="OutboxDispatcher"/>.
/// </summary>
public sealed class OutboxWorker(
    OutboxDispatcher dispatcher, OutboxSignal signal, TimeProvider clock, IOptions<NoticesOptions> options, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.PollInterval;
        try
        {
            await dispatcher.ReleaseClaimsLeftByEarlierRunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not release outbox claims left by an earlier run; they lapse with their lease");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                var run = await dispatcher.RunOnceAsync(stoppingToken);
                if (run.NextDueAt is { } due)
                {
                    var untilDue = due - clock.GetUtcNow();
                    wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < poll ? untilDue : poll;
                }
                // Something was done and more is due already: go again at once.
                if (run.Handled > 0 && wait == TimeSpan.Zero && run.Deferred < run.Handled) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox round failed; trying again in {Poll}", poll);
            }
            try
            {
                await signal.WaitAsync(wait == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : wait, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
