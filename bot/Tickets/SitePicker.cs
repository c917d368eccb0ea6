using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Cards;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>Which of the caller's sites a site-admin command is for: the one given by site=, or the only candidate.</summary>
public static class SitePicker
{
    public static async Task<SitePick> PickAsync(
        CommandSession s, string? typed, IReadOnlyCollection<long> candidates, string none, string usage)
    {
        var ct = s.Ct;
        var ids = candidates.ToList();
        var sites = await s.Db.Sites.AsNoTracking().Where(x => ids.Contains(x.Id)).OrderBy(x => x.Name).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(typed))
        {
            var named = sites.FirstOrDefault(x => string.Equals(x.Name, typed.Trim(), StringComparison.OrdinalIgnoreCase));
            if (named is not null) return new(named, null, []);
            var adminOf = s.Caller.AdminOfSiteIds.ToList();
            var mine = await s.Db.Sites.AsNoTracking().Where(x => adminOf.Contains(x.Id)).Select(x => x.Name).ToListAsync(ct);
            return new(null, $"'{typed}' is not one of {(sites.Count == 0 ? "your sites" : string.Join(", ", sites.Select(x => x.Name)))} here" +
                (mine.Count > 0 ? $" (you administer {string.Join(", ", mine)})." : "."), []);
        }
        return sites.Count switch
        {
            0 => new(null, none, []),
            1 => new(sites[0], null, []),
            _ => new(null, $"You administer several sites ({string.Join(", ", sites.Select(x => x.Name))}): pick the one this is for " +
                $"below, or type the command again with site=…. {usage}", sites.Select(x => x.Name).ToList()),
        };
    }
}

/// <summary>The site a command is for, or why there is none; <see cref="Choices"/> lists the candidates when the caller must pick.</summary>
public sealed record SitePick(Site? Site, string? Error, IReadOnlyList<string> Choices)
{
    /// <summary>Past this many sites the card offers a drop-down instead of one button per site.</summary>
    internal const int MaxButtons = 5;

    /// <summary>
    /// The refusal as a reply. When the caller administers several candidate sites it carries a card that repeats the
    /// same action for the site they pick (one button per site, or a drop-down), with the values they already gave
    /// (<paramref name="carried"/>, e.g. a report's outcome and notes). The click comes back through the card verb,
    /// so the command checks the picked site against the caller's own sites again.
    /// </summary>
    public Reply Refusal(string verb, long ticketId, IReadOnlyDictionary<string, string?>? carried = null) =>
        Choices.Count < 2 ? Reply.No(Error!) : Reply.No(Error!) with { Card = ChoiceCard(verb, ticketId, carried).ToJson() };

    public AdaptiveCard ChoiceCard(string verb, long ticketId, IReadOnlyDictionary<string, string?>? carried = null)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["verb"] = verb, ["ticket"] = ticketId.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in carried ?? new Dictionary<string, string?>())
            if (!string.IsNullOrWhiteSpace(value)) data[key] = value;

        var body = new List<CardElement> { new TextBlock($"#{ticketId}: for which of your sites?", Weight: "Bolder") };
        List<CardAction> actions;
        if (Choices.Count <= MaxButtons)
        {
            actions = Choices.Select(name => (CardAction)new ExecuteAction(name, verb, new Dictionary<string, string>(data) { ["site"] = name })).ToList();
        }
        else
        {
            body.Add(new ChoiceInput("site", "Site", Choices.Select(n => new Choice(n, n)).ToList(), IsRequired: true, ErrorMessage: "Pick a site"));
            actions = [new ExecuteAction("Continue", verb, data)];
        }
        return new AdaptiveCard(body, actions);
    }
}
