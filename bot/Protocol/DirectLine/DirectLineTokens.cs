using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>What a Direct Line token grants: one user in one conversation until it expires.</summary>
public sealed record DirectLineGrant(
    [property: JsonPropertyName("conv")] string ConversationId,
    [property: JsonPropertyName("user")] string UserId,
    [property: JsonPropertyName("name")] string? UserName,
    [property: JsonPropertyName("room")] string? RoomName,
    [property: JsonPropertyName("exp")] long ExpiresAt);

/// <summary>
/// Self-issued HS256 JWTs (the hosted service also hands out JWTs, and Web Chat may peek inside one). The key
/// lives in the data folder so tokens survive a restart; several instances need a shared data folder.
/// </summary>
public sealed class DirectLineTokens
{
    private static readonly string Header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public DirectLineTokens(IOptions<DataFolderOptions> data, IOptions<DirectLineOptions> options, TimeProvider clock)
    {
        _clock = clock;
        Lifetime = TimeSpan.FromSeconds(options.Value.TokenLifetimeSeconds);
        _key = LoadOrCreateKey(Path.Combine(data.Value.FullPath, "directline.key"));
    }

    public TimeSpan Lifetime { get; }

    public string Issue(string conversationId, string userId, string? userName, string? roomName)
    {
        var grant = new DirectLineGrant(conversationId, userId, userName, roomName,
            (_clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        var signed = Header + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(grant));
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>The grant of a well-signed, unexpired token; null otherwise.</summary>
    public DirectLineGrant? Validate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096) return null;
        var lastDot = token.LastIndexOf('.');
        var firstDot = token.IndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot) return null;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(token[..lastDot]), expected);
        Span<byte> given = stackalloc byte[48];
        if (Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1), given, out _, out var length) != OperationStatus.Done
            || length != 32) return null;
        if (!CryptographicOperations.FixedTimeEquals(expected, given[..32])) return null;

        DirectLineGrant? grant;
        try { grant = JsonSerializer.Deserialize<DirectLineGrant>(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1))); }
        catch (Exception ex) when (ex is JsonException or FormatException) { return null; }
        if (grant is null || grant.ExpiresAt < _clock.GetUtcNow().ToUnixTimeSeconds()) return null;
        return grant;
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path)) return File.ReadAllBytes(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, key);
        try
        {
            // A second instance starting at the same moment may have won the race: keep one key for both.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temp);
        }
        return File.ReadAllBytes(path);
    }
}
