using Microsoft.Extensions.Options;

namespace Rollout.Bot.Notices;

/// <summary>
/// Runs the dispatcher: a round whenever notices commit or a lane finishes (the outbox signal), when the earliest retry
/// falls due, and at least every poll interval; and renews the claims it holds every third of a lease. A round only
/// claims and hands out, it never waits for a send. Thin on purpose; the behaviour lives in <see cref="OutboxDispatcher"/>.
/// </summary>
public sealed class OutboxWorker(
    OutboxDispatcher dispatcher, OutboxSignal signal, TimeProvider clock, IOptions<NoticesOptions> options, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.ReleaseClaimsLeftByEarlierRunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not release outbox claims left by an earlier run; they lapse with their lease");
        }
        try
        {
            await Task.WhenAll(RoundsAsync(stoppingToken), RenewalsAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            dispatcher.StopLanes();
        }
    }

    private async Task RoundsAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                var round = await dispatcher.StartRoundAsync(stoppingToken);
                // A full batch: more is probably due already, claim again at once.
                if (round.Claimed >= options.Value.BatchSize) continue;
                if (await dispatcher.NextDueAsync(stoppingToken) is { } due)
                {
                    var untilDue = due - clock.GetUtcNow();
                    // Due but not claimed: held back behind a lane or another instance's claim; the lane's end wakes us.
                    wait = untilDue <= TimeSpan.Zero ? (round.Claimed > 0 ? TimeSpan.Zero : poll) : untilDue < poll ? untilDue : poll;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox round failed; trying again in {Poll}", poll);
            }
            await signal.WaitAsync(wait == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : wait, clock, stoppingToken);
        }
    }

    private async Task RenewalsAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.ClaimLease / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(every, clock, stoppingToken);
            try
            {
                await dispatcher.RenewClaimsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not renew outbox claims; they stay valid until their lease ends");
            }
        }
    }
}
