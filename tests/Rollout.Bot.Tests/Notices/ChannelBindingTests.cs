using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;

using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Notices;

public sealed class ChannelBindingTests : IDisposable
{
    private readonly NoticesApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CoordinatorBindsAConversation_AndChannelsListsIt()
    {
        var reply = await _app.SayAsync("/channel bind early-adopters stack=GLite", conversationId: "conv-ea-glite", isGroup: true);
        var list = await _app.SayAsync("/channels");

        Assert.Contains("now receives **early-adopters stack=glite** notices", reply);
        Assert.Contains("- early-adopters stack=glite: 'conv-ea-glite' (test)", list);
        Assert.Contains("- operations: not bound", list);
        Assert.Contains("Stacks without an early-adopters channel: arc, globus, unicore, opstools, community.", list);
        await using var db = await _app.DbAsync();
        var binding = await db.ChannelBindings.SingleAsync();
        Assert.Equal(("early-adopters", "glite", "conv-ea-glite", NoticesApp.Coordinator),
            (binding.Purpose, binding.Stack, binding.ConversationId, binding.BoundBy));
    }

    [Theory]
    [InlineData("/channel bind operations")]
    [InlineData("/channel unbind operations")]
    [InlineData("/channels")]
    [InlineData("/outbox")]
    public async Task SomeoneWhoIsNotACoordinator_IsRefused(string command)
    {
        var reply = await _app.SayAsync(command, userId: "u-site-admin", conversationId: "conv-ops", isGroup: true);

        // Said to the asker alone; the room reads a pointer.
        Assert.DoesNotContain("Only coordinators", reply);
        Assert.Contains("Only coordinators can use", await PrivateAnswerReader.TextAsync(_app.Factory.Services, "u-site-admin", reply));
        await using var db = await _app.DbAsync();
        Assert.Empty(await db.ChannelBindings.ToListAsync());
    }

    [Theory]
    [InlineData("/channel bind mailing-list", "'mailing-list' is not a kind of notice. Use one of: early-adopters, operations, broadcast, security")]
    [InlineData("/channel bind", "Name the kind of notice.")]
    [InlineData("/channel bind early-adopters", "early-adopters notices are per stack: add `stack=…`, one of arc, glite")]
    [InlineData("/channel bind early-adopters stack=cobol", "'cobol' is not a stack. Use one of: arc, glite, globus, unicore, opstools, community.")]
    [InlineData("/channel bind operations stack=arc", "operations notices are not per stack: leave out `stack=arc`.")]
    [InlineData("/channel", "Say `/channel bind <purpose>` or `/channel unbind <purpose>`")]
    public async Task BadBindCommands_SayWhatIsWrongAndHowToFixIt(string command, string expected)
    {
        var reply = await _app.SayAsync(command);

        Assert.Contains(expected, reply);
        await using var db = await _app.DbAsync();
        Assert.Empty(await db.ChannelBindings.ToListAsync());
    }

    [Fact]
    public async Task ConfiguredStacks_ReplaceTheDefaults()
    {
        using var app = new NoticesApp(settings: new() { ["Rollout:Stacks:0"] = "arc", ["Rollout:Stacks:1"] = "dcache" });

        Assert.Contains("now receives", await app.SayAsync("/channel bind early-adopters stack=dcache"));
        Assert.Contains("'glite' is not a stack. Use one of: arc, dcache.", await app.SayAsync("/channel bind early-adopters stack=glite"));
    }

    [Fact]
    public async Task BindingASecondConversation_MovesThePurposeThere()
    {
        await _app.SayAsync("/channel bind operations", conversationId: "conv-old", isGroup: true);
        var reply = await _app.SayAsync("/channel bind operations", conversationId: "conv-new", isGroup: true);

        Assert.Contains("They went to 'conv-old' (test) before; that conversation no longer gets them.", reply);
        await using var db = await _app.DbAsync();
        Assert.Equal("conv-new", (await db.ChannelBindings.SingleAsync()).ConversationId);
    }

    [Fact]
    public async Task Unbind_WorksOnlyInTheBoundConversation()
    {
        await _app.SayAsync("/channel bind security", conversationId: "conv-sec", isGroup: true);

        var elsewhere = await _app.SayAsync("/channel unbind security", conversationId: "conv-other", isGroup: true);
        var here = await _app.SayAsync("/channel unbind security", conversationId: "conv-sec", isGroup: true);
        var again = await _app.SayAsync("/channel unbind security", conversationId: "conv-sec", isGroup: true);

        Assert.Contains(PrivateAnswerReader.Pointer, elsewhere); // a refusal, for the asker alone
        Assert.Contains("This conversation no longer receives **security** notices.", here);
        Assert.Contains("No conversation receives **security** notices; nothing to unbind.",
            await PrivateAnswerReader.TextAsync(_app.Factory.Services, NoticesApp.Coordinator, again));
        await using var db = await _app.DbAsync();
        Assert.Contains(await db.Notices.Where(n => n.Recipient == "user:" + NoticesApp.Coordinator).Select(n => n.PayloadJson).ToListAsync(),
            p => p.Contains("not here: unbind it there."));
    }

    [Fact]
    public async Task TeamsChannel_KeepsItsChannelId_AndEachNoticeStartsANewThreadThere()
    {
        await _app.SayAsync("/channel bind broadcast", conversationId: "19:abc@thread.tacv2;messageid=1700", isGroup: true, shape: a =>
        {
            a.ChannelId = "msteams";
            a.Conversation!.ConversationType = "channel";
            a.Conversation.TenantId = "tenant-1";
            a.ChannelData = JsonDocument.Parse("""{"channel":{"id":"19:abc@thread.tacv2"},"tenant":{"id":"tenant-1"}}""").RootElement;
        });

        await _app.AddAsync(("release:umd-4.1:ready", NoticeRecipient.Channel("broadcast"), "UMD 4.1 is ready for production"));

        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "create"));
        var create = calls.Single(c => c.Op == "create").Create!;
        Assert.True(create.IsGroup);
        Assert.Equal("tenant-1", create.TenantId);
        Assert.Equal("19:abc@thread.tacv2", create.ChannelData!.Value.GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal("UMD 4.1 is ready for production", create.Activity!.Text);
    }
}
