using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Protocol.Schema;

/// <summary>The channel timestamp goes out in UTC with a <c>Z</c> (schema rule); any ISO-8601 offset is read. localTimestamp keeps its offset.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
}
