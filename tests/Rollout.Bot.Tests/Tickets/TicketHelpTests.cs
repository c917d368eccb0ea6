using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

public sealed class TicketHelpTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Theory]
    [InlineData("Everyone", "/ticket #N")]
    [InlineData("Everyone", "/tickets [state=…] [stack=…] [mine]")]
    [InlineData("Everyone", "/comment #N \"…\"")]
    [InlineData("Provider", "/release new component=…")]
    [InlineData("Repository", "/unverified #N")]
    [InlineData("Technology unit", "/verify #N repo=URL")]
    [InlineData("Technology unit", "/reject #N reason=\"…\"")]
    [InlineData("Site admin", "/accept #N [site=…]")]
    [InlineData("Site admin", "/report #N outcome=success|warning|reject")]
    [InlineData("Coordinator", "/close #N outcome=success|warning|reject summary=\"…\"")]
    [InlineData("Coordinator", "/withdraw #N site=… reason=\"…\"")]
    [InlineData("Coordinator", "/emergency #N skip reason=\"…\"")]
    [InlineData("Coordinator", "/ask #N site=… [note=\"…\"]")]
    [InlineData("Coordinator", "/call #N [note=\"…\"]")]
    [InlineData("Site admin", "/pass #N reason=\"…\" [site=…]")]
    [InlineData("Repository", "/production #N repo=URL")]
    public async Task Help_ListsEachTicketCommandUnderTheRoleThatUsesIt(string group, string usage)
    {
        var help = await _w.SayAsync("/help all", TicketWorld.Eve);

        var start = help.IndexOf($"**{group}**", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {group} group");
        var end = help.IndexOf("\n**", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? help[start..] : help[start..end];
        Assert.Contains("`" + usage, section);
    }

    [Fact]
    public async Task FormSentAsUniversalAction_AnswersInTheInvokeResponse()
    {
        await _w.CastAsync();
        var data = new Dictionary<string, string>
        {
            ["component"] = "cream", ["version"] = "3.0", ["stack"] = "glite", ["type"] = "emergency",
        };
        var invoke = BotApp.Message("", TicketWorld.Provider, "Prov", "conv-u-prov");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Text = null;
        invoke.Name = "adaptiveCard/action";
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = ReleaseForm.Verb, data } });

        var response = await _w.App.PostAsync(invoke);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Opened ticket #1: cream 3.0 (emergency, glite)", body.GetProperty("value").GetString());
    }
}
