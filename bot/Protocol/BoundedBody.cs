using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Reads a JSON request body of at most <see cref="Limits.ActivityBytes"/>: a bigger one is refused before it is parsed,
/// whatever Content-Length claims, so thirty 10 MB posts cost no memory.
/// </summary>
internal static class BoundedBody
{
    public sealed class TooLargeException(long length) : Exception(Limits.TooLong("The activity", length, Limits.ActivityBytes, "bytes"));

    public static async Task<T?> ReadAsync<T>(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is > Limits.ActivityBytes) throw new TooLargeException(request.ContentLength.Value);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > Limits.ActivityBytes) throw new TooLargeException(buffer.Length + read);
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return await JsonSerializer.DeserializeAsync<T>(buffer, ProtocolJson.Options, ct);
    }
}
