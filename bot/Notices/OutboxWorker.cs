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
        // When the next full round is due: at once, then after each round as the earliest due notice or the poll says.
        var fullAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var (full, named) = signal.Take();
            try
            {
                if (full || now >= fullAt) fullAt = now + await FullRoundAsync(poll, stoppingToken);
                else
                {
                    // Only notices that just committed: a recipient whose queue this instance holds, or knows to wait,
                    // has nothing to claim now (its lane's end or its due time brings the full round that takes it).
                    var wanted = named.Where(r => dispatcher.MayClaimFor(r, now)).ToList();
                    if (wanted.Count > 0 && (await dispatcher.StartRoundAsync(stoppingToken, wanted)).Claimed >= options.Value.BatchSize)
                        fullAt = now;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox round failed; trying again in {Poll}", poll);
                fullAt = clock.GetUtcNow() + poll;
            }
            var wait = fullAt - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await signal.WaitAsync(wait, clock, stoppingToken);
        }
    }

    /// <summary>Claims whatever is due; returns how long until the next full round.</summary>
    private async Task<TimeSpan> FullRoundAsync(TimeSpan poll, CancellationToken stoppingToken)
    {
        var round = await dispatcher.StartRoundAsync(stoppingToken);
        // A full batch: more is probably due already, claim again at once.
        if (round.Claimed >= options.Value.BatchSize) return TimeSpan.Zero;
        var wait = poll;
        if (await dispatcher.NextDueAsync(stoppingToken) is { } due)
        {
            var untilDue = due - clock.GetUtcNow();
            // Due but not claimed: held back behind a lane or another instance's claim; the lane's end wakes us.
            wait = untilDue <= TimeSpan.Zero ? (round.Claimed > 0 ? TimeSpan.Zero : poll) : untilDue < poll ? untilDue : poll;
        }
        return wait == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : wait;
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
