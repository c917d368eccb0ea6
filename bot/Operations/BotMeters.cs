using System.Diagnostics.Metrics;

namespace Rollout.Bot.Operations;

/// <summary>
/// The bot's counters (OpenTelemetry, exported as Prometheus text at <c>GET /metrics</c>). Created from the host's
/// IMeterFactory so each host has its own instruments; the gauges read the database at scrape time (<see cref="StateGauges"/>).
/// </summary>
public sealed class BotMeters
{
    public const string MeterName = "Rollout.Bot";

    private readonly Counter<long> _turns;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _notices;
    private readonly Counter<long> _reminders;

    public BotMeters(IMeterFactory factory)
    {
        Meter = factory.Create(MeterName);
        _turns = Meter.CreateCounter<long>("rollout.turns", "{turn}", "activities the bot handled (after de-duplication)");
        _replies = Meter.CreateCounter<long>("rollout.replies", "{reply}", "replies and card updates sent back in conversations");
        _notices = Meter.CreateCounter<long>("rollout.notices", "{notice}", "outbox deliveries by outcome: sent, retried, parked");
        _reminders = Meter.CreateCounter<long>("rollout.reminders.fired", "{reminder}", "reminders fired by this instance");
    }

    public Meter Meter { get; }

    public void Turn(string type) => _turns.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Reply() => _replies.Add(1);

    public void Notices(int sent, int retried, int parked)
    {
        if (sent > 0) _notices.Add(sent, new KeyValuePair<string, object?>("outcome", "sent"));
        if (retried > 0) _notices.Add(retried, new KeyValuePair<string, object?>("outcome", "retried"));
        if (parked > 0) _notices.Add(parked, new KeyValuePair<string, object?>("outcome", "parked"));
    }

    public void RemindersFired(int count)
    {
        if (count > 0) _reminders.Add(count);
    }
}
