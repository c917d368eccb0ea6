namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when a test says so; timers (Task.Delay, Polly's backoff) fire when it is advanced
/// past them. Microsoft.Extensions.TimeProvider.Testing is not in the registry here, hence this small one.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<Timer> _timers = [];
    private readonly List<TimeSpan> _delays = [];
    private readonly SemaphoreSlim _armed = new(0);
    private DateTimeOffset _now = start.ToUniversalTime();

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() { lock (_lock) return _now; }
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Every finite delay a timer was armed with, in order: what the code under test chose to wait.</summary>
    public IReadOnlyList<TimeSpan> Delays { get { lock (_lock) return _delays.ToList(); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).OrderBy(t => t.DueAt).ToList();
            foreach (var t in due)
            {
                if (t.Period is { } period) t.DueAt += period;
                else _timers.Remove(t);
            }
        }
        foreach (var t in due) t.Fire();
    }

    /// <summary>Jumps to an instant (forward or back) without firing timers in between; Advance fires them.</summary>
    public void Set(DateTimeOffset to) { lock (_lock) _now = to.ToUniversalTime(); }

    /// <summary>Advances to each timer in turn until the work finishes, so code that backs off runs without sleeping.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!work.IsCompleted)
        {
            TimeSpan? next;
            lock (_lock) next = _timers.Count == 0 ? null : _timers.Min(t => t.DueAt) - _now;
            if (next is { } wait) { Advance(wait < TimeSpan.Zero ? TimeSpan.Zero : wait); continue; }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The work neither finished nor armed a timer.");
            await Task.WhenAny(work, _armed.WaitAsync(TimeSpan.FromMilliseconds(200)));
        }
        return await work;
    }

    public Task RunAsync(Task work, TimeSpan? timeout = null) => RunAsync(work.ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default), timeout);

    private sealed class Timer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }
        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                owner._timers.Add(this);
                owner._delays.Add(dueTime);
            }
            owner._armed.Release();
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() { lock (owner._lock) owner._timers.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
