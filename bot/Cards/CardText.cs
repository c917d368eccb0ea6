using System.Globalization;

namespace Rollout.Bot.Cards;

/// <summary>Text helpers for card content.</summary>
public static class CardText
{
    /// <summary>A moment as the Adaptive Card DATE/TIME functions, so each reader sees it in their own locale and zone.</summary>
    public static string LocalTime(DateTimeOffset at)
    {
        var iso = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{{{{DATE({iso}, SHORT)}}}} {{{{TIME({iso})}}}}";
    }
}
