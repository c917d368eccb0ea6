using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Cards;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Every card the bot builds, in each of its shapes: every verb it can emit has a handler, and each is written to
/// tests/interop/cards-generated/ for the Node test that parses it with Microsoft's adaptivecards package.
/// </summary>
public sealed class CardContractTests
{
    public static IEnumerable<(string Name, AdaptiveCard Card)> AllCards()
    {
        yield return ("release-form", ReleaseForm.Build(new RolloutOptions { Stacks = [.. RolloutOptions.DefaultStacks] }));
        var ticket = new Ticket
        {
            Id = 42, Component = "cream", Version = "1.2.3", Stack = "glite", Type = ReleaseType.Minor, Os = "sl6", Arch = "x86_64",
            NotesUrl = "https://rel.example.org/notes", ChangelogUrl = "https://rel.example.org/changes", BugUrls = "https://bugs.example.org/1",
            ProviderId = "u-prov", ProviderName = "Prov", RepositoryUrl = "https://repo.example.org/sr/42", State = TicketState.Verified,
        };
        yield return ("notice-verified", ReleaseNoticeCard.Build(ticket, new ReleaseCardFacts(
            [new("Alpha", "expected, accept by Mon 23 Nov 10:00 Europe/Zurich"), new("Beta", "expected, accept by Mon 23 Nov 09:00 Europe/London")],
            "Mon 23 Nov 10:00 Europe/Zurich", new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), true, ["u-alice", "u-bob"])));
        ticket.State = TicketState.RollingOut;
        ticket.Participations.Add(new Participation { SiteId = 1, SiteName = "Alpha", AcceptedBy = "u-alice", AcceptedByName = "Alice" });
        yield return ("notice-rolling-out", ReleaseNoticeCard.Build(ticket, new ReleaseCardFacts(
            [new("Alpha", "taking part, report due Fri 4 Dec 17:00 Europe/Zurich"), new("Beta", "expected, has not answered")], null, null, true, ["u-alice", "u-bob"])));
        var rollingOut = new ReleaseCardFacts([new("Alpha", "taking part, report due Fri 4 Dec 17:00 Europe/Zurich"), new("Beta", "expected, has not answered")],
            null, null, true, ["u-alice", "u-bob"]);
        yield return ("notice-shared-teams", ReleaseNoticeCard.Shared(ticket, rollingOut));
        yield return ("notice-viewer-teams", ReleaseNoticeCard.ForViewer(ticket, rollingOut, new ViewerActions(["Alpha"], Accept: false, Report: true, Pass: false)));
        yield return ("notice-viewer-coordinator-teams", ReleaseNoticeCard.ForViewer(ticket, rollingOut, new ViewerActions([], Accept: false, Report: false, Pass: false, Close: true)));
        ticket.State = TicketState.Closed;
        ticket.Outcome = Outcome.Success;
        ticket.SecurityAdvisoryUrl = "https://sec.example.org/1";
        ticket.Participations[0].DoneAt = DateTimeOffset.UnixEpoch;
        ticket.Participations[0].Outcome = Outcome.Success;
        yield return ("notice-closed-restricted", ReleaseNoticeCard.Build(ticket, new ReleaseCardFacts([new("Alpha", "done: success")], null, null, false, [])));
        ticket.DisclosedAt = DateTimeOffset.UnixEpoch;
        ticket.Outcome = Outcome.Warning;
        ticket.Summary = "known issue: the BDII restarts once; workaround: run yaim twice";
        ticket.ProductionRepositoryUrl = "https://repo.example.org/prod/glite";
        ticket.Declines.Add(new SiteDecline { SiteId = 2, SiteName = "Beta", DeclinedBy = "u-bob", DeclinedByName = "Bob", Reason = "downtime" });
        yield return ("notice-closed-warning-disclosed", ReleaseNoticeCard.Build(ticket, new ReleaseCardFacts(
            [new("Alpha", "done: success"), new("Beta", "not this time")], null, null, false, [])));
        yield return ("escalation-call", AcceptanceNag.CallCard(ticket));
        var request = new EngagementRequest
        {
            Id = 7, SiteName = "IFCA", AdminName = "Ana", AdminEmail = "ana@ifca.es", AdminUserId = "u-ana", Component = "CREAM",
            Os = "el9", State = RequestState.Pending, RequestedAt = DateTimeOffset.UnixEpoch,
        };
        yield return ("engagement-pending", EngagementCard.Build(request));
        request.State = RequestState.Declined;
        request.DecidedBy = "u-coord";
        request.DeclineReason = "no CE yet";
        yield return ("engagement-declined", EngagementCard.Build(request));
        var several = new SitePick(null, "several", ["Alpha", "Gamma"]);
        yield return ("site-choice-buttons", several.ChoiceCard(ReleaseNoticeCard.ReportVerb, 42,
            new Dictionary<string, string?> { ["outcome"] = "warning", ["notes"] = "restarted one CE", ["hours"] = null }));
        var many = new SitePick(null, "many", ["A", "B", "C", "D", "E", "F"]);
        yield return ("site-choice-dropdown", many.ChoiceCard(ReleaseNoticeCard.AcceptVerb, 42));
        // A per-person view for more people than Teams refreshes automatically: refresh plus a Refresh button.
        yield return ("refresh-many", new AdaptiveCard([new TextBlock("#42 cream 1.2.3")])
            .WithRefresh(ReleaseNoticeCard.AcceptVerb, new Dictionary<string, string> { ["ticket"] = "42" },
                Enumerable.Range(1, CardRefresh.MaxUsers + 1).Select(i => $"29:u{i}").ToList()));
        yield return ("bulletin", Rollout.Bot.Bulletins.BulletinCard.Build("Operations meeting",
            "**Operations meeting**, Monday 23 November 2026, 16:00\n\n**Releases in progress**\n- #12 CREAM 1.16.2: rolling-out, 3 working days"));
    }

    [Fact]
    public void EveryVerbACardCanEmit_HasARegisteredHandler()
    {
        using var app = new BotApp();
        var registry = app.Services.GetRequiredService<CardActionRegistry>();
        var emitted = AllCards().SelectMany(c => Verbs(c.Card.ToJson())).ToHashSet();

        Assert.Contains(ReleaseNoticeCard.AcceptVerb, emitted);
        Assert.Contains(ReleaseNoticeCard.ReportVerb, emitted);
        Assert.Contains(EngagementCard.DeclineVerb, emitted);
        Assert.Contains(Pass.Verb, emitted);
        Assert.Contains(CallForPartners.Verb, emitted);
        Assert.All(emitted, verb => Assert.NotNull(registry.Find(verb)));
    }

    [Fact]
    public void NoticeCard_DropsButtonsThatNoLongerApply()
    {
        var cards = AllCards().ToDictionary(c => c.Name, c => Verbs(c.Card.ToJson()).Distinct().ToList());
        Assert.Equal([ReleaseNoticeCard.AcceptVerb, Pass.Verb], cards["notice-verified"]);
        Assert.Equal([ReleaseNoticeCard.AcceptVerb, ReleaseNoticeCard.ReportVerb, Pass.Verb], cards["notice-rolling-out"]);
        Assert.Empty(cards["notice-closed-restricted"]);
        Assert.Empty(cards["notice-closed-warning-disclosed"]);
    }

    [Fact]
    public void SiteChoice_OffersOneButtonPerSite_OrADropDownPastFive()
    {
        var cards = AllCards().ToDictionary(c => c.Name, c => c.Card.ToJson());

        var buttons = cards["site-choice-buttons"].GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(["Alpha", "Gamma"], buttons.Select(b => b.GetProperty("title").GetString()));
        Assert.Equal("Gamma", buttons[1].GetProperty("data").GetProperty("site").GetString());
        Assert.False(buttons[1].GetProperty("data").TryGetProperty("hours", out _));
        var dropDown = cards["site-choice-dropdown"];
        var input = dropDown.GetProperty("body").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "Input.ChoiceSet");
        Assert.Equal("site", input.GetProperty("id").GetString());
        Assert.Equal(6, input.GetProperty("choices").GetArrayLength());
        var submit = Assert.Single(dropDown.GetProperty("actions").EnumerateArray());
        Assert.False(submit.GetProperty("data").TryGetProperty("site", out _));
    }

    [Fact]
    public void EveryCard_IsWrittenForTheAdaptiveCardsParserAndFitsTeams()
    {
        var folder = Path.Combine(RepoRoot(), "tests", "interop", "cards-generated");
        Directory.CreateDirectory(folder);
        foreach (var (name, card) in AllCards())
        {
            var json = card.ToJson().GetRawText();
            Assert.True(json.Length < 28_000, $"{name} is {json.Length} bytes; Teams refuses cards over 28 KB");
            File.WriteAllText(Path.Combine(folder, name + ".json"), json);
        }
    }

    private static IEnumerable<string> Verbs(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (p.Name == "verb" && p.Value.ValueKind == JsonValueKind.String) yield return p.Value.GetString()!;
                foreach (var v in Verbs(p.Value)) yield return v;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var v in Verbs(item)) yield return v;
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rollout.Bot.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Rollout.Bot.sln not found above the test binaries.");
    }
}
