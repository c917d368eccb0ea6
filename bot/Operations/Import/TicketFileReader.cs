using System.Text.Json;
using Rollout.Bot.Operations.Export;

namespace Rollout.Bot.Operations.Import;

/// <summary>One ticket of an import file and where it starts, so that every problem names the ticket and its line.</summary>
public sealed record TicketEntry(int Index, int Line, TicketRecord Record)
{
    public string Name => Record.Number is { } n ? $"ticket #{n} (line {Line})" : $"ticket {Index} (line {Line})";
}

/// <summary>Reads the file <c>export tickets --format json</c> writes; only its shape is checked here, not its content.</summary>
public static class TicketFileReader
{
    private const string Shape = "{\"format\": \"rollout-bot tickets\", \"version\": 1, \"tickets\": [ … ]}, as `export tickets --format json` writes it";

    public static (List<TicketEntry> Entries, List<string> Errors) Read(byte[] bytes)
    {
        var entries = new List<TicketEntry>();
        var errors = new List<string>();
        if (bytes.AsSpan().StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            errors.Add($"line {(ex.LineNumber ?? 0) + 1}: not well-formed JSON ({Reason(ex)}); fix the file or export it again");
            return (entries, errors);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"line 1: the file is not an object; expected {Shape}");
                return (entries, errors);
            }
            foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("format" or "version" or "tickets")))
                errors.Add($"line 1: unknown field '{property.Name}' at the top; expected {Shape}");
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != TicketFile.FormatName)
                errors.Add($"line 1: format is not \"{TicketFile.FormatName}\"; expected {Shape}");
            if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var v) || v != TicketFile.CurrentVersion)
                errors.Add($"line 1: version is not {TicketFile.CurrentVersion}, the only version this bot reads; export the tickets with this bot's version");
            if (!root.TryGetProperty("tickets", out var tickets) || tickets.ValueKind != JsonValueKind.Array)
                errors.Add($"line 1: no list of tickets; expected {Shape}");
            if (errors.Count > 0) return (entries, errors);

            var lines = TicketLines(bytes);
            var index = 0;
            foreach (var element in tickets.EnumerateArray())
            {
                var line = lines[index++];
                var at = element.TryGetProperty("number", out var n) && n.TryGetInt64(out var number)
                    ? $"ticket #{number} (line {line})" : $"ticket {index} (line {line})";
                try
                {
                    var record = element.ValueKind == JsonValueKind.Object ? element.Deserialize<TicketRecord>(TicketFile.Json) : null;
                    if (record is null) errors.Add($"{at}: not an object; each ticket is {{\"number\": …, \"component\": …, …}}");
                    else entries.Add(new TicketEntry(index, line, record));
                }
                catch (JsonException ex)
                {
                    errors.Add($"{at}: {Field(ex)}");
                }
            }
        }
        return (entries, errors);
    }

    /// <summary>The line each element of the top-level <c>tickets</c> array starts on.</summary>
    private static List<int> TicketLines(byte[] bytes)
    {
        var lines = new List<int>();
        var reader = new Utf8JsonReader(bytes);
        while (reader.Read())
        {
            if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("tickets")) continue;
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                lines.Add(1 + bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n'));
                reader.Skip();
            }
            break;
        }
        return lines;
    }

    private static string Field(JsonException ex)
    {
        var field = ex.Path is { Length: > 2 } path ? path[2..] : "a field";
        return ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"unknown field {field}; check its spelling against what `export tickets --format json` writes"
            : $"{field}: not the kind of value expected (times are written 2026-03-02T10:00:00+00:00, numbers and true/false " +
              "without quotes, lists in [ ]); " + Reason(ex);
    }

    /// <summary>System.Text.Json's message without its position, which the caller says in lines.</summary>
    private static string Reason(JsonException ex)
    {
        var text = ex.Message;
        foreach (var cut in new[] { " Path:", " LineNumber:" })
            if (text.IndexOf(cut, StringComparison.Ordinal) is var i and > 0) text = text[..i];
        return text.TrimEnd('.', ' ');
    }
}
