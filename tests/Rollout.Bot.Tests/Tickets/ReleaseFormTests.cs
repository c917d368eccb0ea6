using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

public sealed class ReleaseFormTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task ReleaseNewWithoutArguments_AnswersWithAnAdaptiveCardForm()
    {
        await _w.CastAsync();
        var before = _w.App.Connector.Calls.Count;

        await _w.SayAsync("/release new", TicketWorld.Provider);

        var attachment = Assert.Single(_w.App.Connector.Calls[before].Activity.Attachments!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        var card = attachment.Content!.Value;
        Assert.Equal(("AdaptiveCard", "1.5"), (card.GetProperty("type").GetString(), card.GetProperty("version").GetString()));
        var inputs = card.GetProperty("body").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString()!.StartsWith("Input.", StringComparison.Ordinal))
            .Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(ReleaseNew.Fields, inputs);
        var stacks = card.GetProperty("body").EnumerateArray().Single(e => e.TryGetProperty("id", out var id) && id.GetString() == "stack")
            .GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString());
        Assert.Equal(Rollout.Bot.EarlyAdopters.RolloutOptions.DefaultStacks, stacks);
        var submit = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.Submit", submit.GetProperty("type").GetString());
        Assert.Equal(ReleaseForm.Verb, submit.GetProperty("data").GetProperty("verb").GetString());
    }

    [Fact]
    public void EveryVerbTheFormEmits_HasAHandler()
    {
        using var app = new BotApp();
        var registry = app.Services.GetRequiredService<CardActionRegistry>();

        Assert.NotNull(registry.Find(ReleaseForm.Verb));
    }

    [Fact]
    public async Task SubmittedForm_OpensTheTicketLikeTheTypedCommand()
    {
        await _w.CastAsync();

        var reply = await SubmitAsync(TicketWorld.Provider, Form());

        Assert.Contains("Opened ticket #1: cream 2.0 (major, glite)", reply);
        Assert.Equal("https://x.org/n", await _w.DbAsync(db => db.Tickets.Select(t => t.NotesUrl).SingleAsync()));
    }

    [Fact]
    public async Task SubmittedForm_WithABadLink_IsRefusedWithTheSameMessage()
    {
        await _w.CastAsync();
        var form = Form();
        form["cert"] = "www.example.org/cert";

        var reply = await SubmitAsync(TicketWorld.Provider, form);

        Assert.Contains("cert= must be an absolute http(s) URL", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task SubmittedForm_ReChecksTheCallersRole()
    {
        await _w.CastAsync();

        var reply = await SubmitAsync(TicketWorld.Eve, Form());

        Assert.StartsWith("Only software providers and coordinators", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Tickets.CountAsync()));
    }

    private static Dictionary<string, string> Form() => new()
    {
        ["verb"] = ReleaseForm.Verb, ["component"] = "cream", ["version"] = "2.0", ["stack"] = "glite", ["type"] = "major",
        ["notes"] = "https://x.org/n", ["changelog"] = "https://x.org/c", ["cert"] = "https://x.org/r",
        ["docs"] = "", ["bugs"] = "", ["security"] = "", ["os"] = "", ["arch"] = "",
    };

    private async Task<string> SubmitAsync(string userId, Dictionary<string, string> data)
    {
        var before = _w.App.Connector.Calls.Count;
        var activity = BotApp.Message("", userId, TicketWorld.Names(userId), "conv-" + userId);
        activity.Text = null;
        activity.Value = JsonSerializer.SerializeToElement(data);
        (await _w.App.PostAsync(activity)).EnsureSuccessStatusCode();
        return (await _w.App.Connector.WaitForCallsAsync(before + 1))[before].Activity.Text!;
    }
}
