namespace Rollout.Bot.Tests.Notices;

/// <summary>
/// A clock whose timers run on its own time too: a timer (Task.Delay, a CancellationTokenSource's timeout) fires only
/// when <see cref="Advance"/> moves the clock past its due time. So a test can show that something happens because
/// its time came, and not because a poll or a real-time timer happened to run.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<Timer> _timers = [];
    private long _ticks = start.UtcTicks;

    public SteppedClock() : this(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires, on the thread pool, every timer that fell due meanwhile.</summary>
    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_lock)
        {
            _ticks += by.Ticks;
            due = _timers.Where(t => t.DueAt <= _ticks).ToList();
            foreach (var timer in due)
            {
                if (timer.Period is { } period && period > TimeSpan.Zero) timer.DueAt = _ticks + period.Ticks;
                else _timers.Remove(timer);
            }
        }
        foreach (var timer in due) ThreadPool.QueueUserWorkItem(_ => timer.Fire());
    }

    private sealed class Timer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }
        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = clock._ticks + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                clock._timers.Add(this);
            }
            if (dueTime == TimeSpan.Zero) clock.Advance(TimeSpan.Zero);
            return true;
        }

        public void Dispose()
        {
            lock (clock._lock) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
