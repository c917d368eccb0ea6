using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>An activity as clients receive it: serialized once, shared by every poll and stream.</summary>
public sealed record DirectLineEntry(long Seq, string ActivityId, DateTimeOffset? Timestamp, byte[] Json);

/// <summary>
/// One live conversation of the local channel: its recent history in memory (what polls and streams read), its
/// members, and the streams listening to it. Every change takes the lock briefly, so watermarks, stream frames
/// and stored rows come out in one order.
/// </summary>
public sealed class DirectLineConversation
{
    /// <summary>Activities kept in memory; older ones are read from the database.</summary>
    internal const int Window = 1000;
    private const int StreamBacklog = 256;

    private readonly Lock _gate = new();
    private readonly List<DirectLineEntry> _recent;
    private readonly Dictionary<string, ChannelAccount> _members;
    private readonly DirectLineWriter _writer;
    private Channel<byte[]>[] _streams = [];
    private long _lastSeq;

    internal DirectLineConversation(string id, string? name, bool isGroup, IEnumerable<ChannelAccount> members,
        List<DirectLineEntry> recent, long lastSeq, DirectLineWriter writer)
    {
        Id = id;
        Name = name;
        IsGroup = isGroup;
        _members = members.Where(m => m.Id is not null).ToDictionary(m => m.Id!);
        _recent = recent;
        _lastSeq = lastSeq;
        _writer = writer;
        // A history shorter than the window is all here; a longer one continues in the database. After a restart the
        // window is loaded by count: it is cut to the byte limit here too.
        var first = 0;
        long bytes = 0;
        for (var i = recent.Count - 1; i > 0; i--)
        {
            bytes += recent[i].Json.Length;
            if (bytes + recent[i - 1].Json.Length > Limits.DirectLineRetainedBytes) { first = i; break; }
        }
        recent.RemoveRange(0, first);
        Floor = first > 0 || recent.Count >= Window ? recent[0].Seq - 1 : 0;
    }

    public string Id { get; }

    /// <summary>Bytes of activity JSON held in memory (at most <see cref="Limits.DirectLineRetainedBytes"/> past the newest one).</summary>
    internal long RetainedBytes
    {
        get { lock (_gate) return _recent.Sum(e => (long)e.Json.Length); }
    }
    public string? Name { get; }
    public bool IsGroup { get; }

    /// <summary>Every activity with a higher seq than this is in memory.</summary>
    public long Floor { get; private set; }

    public ConversationAccount Account => new()
    {
        Id = Id, Name = Name, IsGroup = IsGroup, ConversationType = IsGroup ? "channel" : "personal",
    };

    public IReadOnlyList<ChannelAccount> Members { get { lock (_gate) return [.. _members.Values]; } }

    /// <summary>Adds a member (stored) and says whether they are new here.</summary>
    public bool Join(ChannelAccount member)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(member.Id!, out var known) && known.Name == member.Name) return false;
            var isNew = known is null;
            _members[member.Id!] = new ChannelAccount { Id = member.Id, Name = member.Name, Role = member.Role };
            _writer.Enqueue(new DirectLineWrite.Conversation(Id, Name, IsGroup, JsonSerializer.Serialize(_members.Values, ProtocolJson.Options)));
            return isNew;
        }
    }

    /// <summary>Gives the activity the next id and timestamp, stores it and pushes it to every stream.</summary>
    public string Append(Activity activity, DateTimeOffset now)
    {
        lock (_gate)
        {
            var seq = ++_lastSeq;
            activity.Id = Id + "|" + seq.ToString("D7", CultureInfo.InvariantCulture);
            activity.Timestamp = now;
            Publish(new DirectLineEntry(seq, activity.Id, now, JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options)));
            return activity.Id;
        }
    }

    /// <summary>
    /// Replaces an activity. It keeps its id and original timestamp and is sent again under a new watermark:
    /// Web Chat replaces an activity that arrives with a known id, and orders it by timestamp, so the new
    /// version shows in the old place. False when the activity is not in memory (see <paramref name="olderTimestamp"/>).
    /// </summary>
    public bool Replace(string activityId, Activity updated, DateTimeOffset? olderTimestamp)
    {
        lock (_gate)
        {
            var index = _recent.FindLastIndex(e => e.ActivityId == activityId);
            if (index < 0 && olderTimestamp is null) return false;
            updated.Id = activityId;
            updated.Timestamp = index >= 0 ? _recent[index].Timestamp : olderTimestamp;
            if (index >= 0) _recent.RemoveAt(index);
            Publish(new DirectLineEntry(++_lastSeq, activityId, updated.Timestamp,
                JsonSerializer.SerializeToUtf8Bytes(updated, ProtocolJson.Options)));
            return true;
        }
    }

    /// <summary>Drops an activity from the history; clients that already show it keep it until they reload.</summary>
    public void Remove(string activityId, long seq)
    {
        lock (_gate)
        {
            _recent.RemoveAll(e => e.ActivityId == activityId);
            _writer.Enqueue(new DirectLineWrite.Activity(Id, activityId, seq, null));
        }
    }

    public DirectLineEntry? Find(string activityId)
    {
        lock (_gate) return _recent.FindLast(e => e.ActivityId == activityId);
    }

    /// <summary>Pushes a typing indicator to the streams only: it is neither stored nor numbered.</summary>
    public void Signal(Activity activity)
    {
        var frame = Frame([JsonSerializer.SerializeToUtf8Bytes(activity, ProtocolJson.Options)], null);
        foreach (var stream in Volatile.Read(ref _streams)) stream.Writer.TryWrite(frame);
    }

    /// <summary>Activities after the watermark that are in memory, and the watermark to ask from next time.</summary>
    public (List<DirectLineEntry> Entries, long Watermark) Since(long watermark, int max)
    {
        lock (_gate) return (Slice(watermark, max), _lastSeq);
    }

    /// <summary>Registers a stream and returns the backlog after the watermark in the same step, so nothing falls between.</summary>
    public (Channel<byte[]> Stream, byte[]? Backlog) Subscribe(long watermark)
    {
        var stream = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(StreamBacklog)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
        lock (_gate)
        {
            var backlog = Slice(watermark, Window);
            _streams = [.. _streams, stream];
            return (stream, backlog.Count == 0 ? null : Frame(backlog.Select(e => e.Json), _lastSeq));
        }
    }

    public void Unsubscribe(Channel<byte[]> stream)
    {
        lock (_gate) _streams = [.. _streams.Where(s => s != stream)];
    }

    /// <summary>The Direct Line ActivitySet: <c>{"activities":[…],"watermark":"N"}</c>, built from stored bytes.</summary>
    public static byte[] Frame(IEnumerable<byte[]> activities, long? watermark)
    {
        using var buffer = new MemoryStream();
        buffer.Write("{\"activities\":["u8);
        var first = true;
        foreach (var json in activities)
        {
            if (!first) buffer.WriteByte((byte)',');
            buffer.Write(json);
            first = false;
        }
        buffer.Write("]"u8);
        if (watermark is { } w) buffer.Write(Encoding.UTF8.GetBytes($",\"watermark\":\"{w.ToString(CultureInfo.InvariantCulture)}\""));
        buffer.Write("}"u8);
        return buffer.ToArray();
    }

    private List<DirectLineEntry> Slice(long watermark, int max)
    {
        // Seqs ascend through the list (a replaced activity is removed and appended), so search, don't scan.
        int low = 0, high = _recent.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_recent[mid].Seq <= watermark) low = mid + 1; else high = mid;
        }
        return _recent.GetRange(low, Math.Min(max, _recent.Count - low));
    }

    private void Publish(DirectLineEntry entry)
    {
        _recent.Add(entry);
        // Bounded by count and by bytes (Limits.DirectLineRetainedBytes): what leaves memory is still read from the database.
        var drop = _recent.Count > Window + Window / 10 ? _recent.Count - Window : 0;
        long bytes = _recent[^1].Json.Length; // the newest one always stays
        for (var i = _recent.Count - 2; i >= drop; i--)
        {
            bytes += _recent[i].Json.Length;
            if (bytes > Limits.DirectLineRetainedBytes) { drop = i + 1; break; }
        }
        if (drop > 0)
        {
            Floor = _recent[drop - 1].Seq;
            _recent.RemoveRange(0, drop);
        }
        _writer.Enqueue(new DirectLineWrite.Activity(Id, entry.ActivityId, entry.Seq, Encoding.UTF8.GetString(entry.Json)));
        var frame = Frame([entry.Json], entry.Seq);
        foreach (var stream in _streams)
        {
            // A stream that cannot keep up is closed; directlinejs reconnects and resumes from its watermark.
            if (!stream.Writer.TryWrite(frame)) stream.Writer.TryComplete();
        }
    }
}
