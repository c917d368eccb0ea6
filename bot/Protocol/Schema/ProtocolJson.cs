using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Rollout.Bot.Protocol.Schema;

/// <summary>
/// Wire JSON rules: camelCase, nulls, empty strings and empty lists left out (spec: omit empty values). Text is
/// escaped only where JSON requires it (quotes, backslash, control characters), as Bot Builder's Newtonsoft
/// writer does: the wire format is never embedded in HTML, and escaping every non-ASCII letter, <c>'</c>, <c>&lt;</c>
/// and <c>`</c> of a reply cost more CPU than the rest of its serialisation.
/// </summary>
public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmpty } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmpty(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.PropertyType == typeof(string))
            {
                property.ShouldSerialize = (_, value) => !string.IsNullOrEmpty((string?)value);
            }
            else if (property.PropertyType != typeof(JsonElement) && property.PropertyType != typeof(JsonElement?)
                && typeof(ICollection).IsAssignableFrom(property.PropertyType))
            {
                property.ShouldSerialize = (_, value) => value is ICollection { Count: > 0 };
            }
        }
    }

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);
}
