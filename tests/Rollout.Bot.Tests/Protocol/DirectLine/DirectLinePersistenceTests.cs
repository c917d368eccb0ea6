using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol.DirectLine;

public sealed class DirectLinePersistenceTests : IDisposable
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task History_Tokens_AndWatermarks_SurviveARestart()
    {
        string token, helloId, watermark;
        using (var first = new DirectLineApp(_dataFolder))
        {
            var client = await first.Client().JoinAsync("alice", "Alice", room: "Ops");
            await using var stream = await client.StreamAsync();
            helloId = await client.SayAsync("hello before the restart");
            await stream.WaitForAsync(a => a.ReplyToId == helloId);
            (_, watermark) = await client.ActivitiesAsync();
            token = client.Token;
        }

        using var second = new DirectLineApp(_dataFolder);
        var again = second.Client();
        var (history, resumed) = await ActivitiesWithTokenAsync(again, token);
        var nextId = await again.SayAsync("hello after the restart");
        var (newer, _) = await again.ActivitiesAsync(watermark);

        Assert.Contains(history, a => a.Id == helloId && a.Text == "hello before the restart");
        Assert.Contains(history, a => a.ReplyToId == helloId);
        Assert.Equal(watermark, resumed);
        Assert.Equal(nextId, newer[0].Id);
        Assert.True(string.CompareOrdinal(nextId, helloId) > 0);
    }

    private static async Task<(List<Rollout.Bot.Protocol.Schema.Activity>, string)> ActivitiesWithTokenAsync(DirectLineClient client, string token)
    {
        // The token from before the restart still opens the conversation: the signing key lives in the data folder.
        (await client.GenerateAsync("alice", "Alice", room: "Ops")).EnsureSuccessStatusCode();
        var response = await client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/room%3Aops/activities", null, token);
        response.EnsureSuccessStatusCode();
        return await client.ActivitiesAsync();
    }
}
