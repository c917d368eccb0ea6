using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tests.Protocol;

public sealed class MarkdownListsTests
{
    [Theory]
    [InlineData("Sites:\n- Alpha\n- Beta\nThat is all.", "Sites:\n\n- Alpha\n- Beta\n\nThat is all.")]
    [InlineData("**Admin**\n- `/a` — one\n  `/a more`\n- `/b` — two\nType help.", "**Admin**\n\n- `/a` — one\n  `/a more`\n- `/b` — two\n\nType help.")]
    [InlineData("1. first\n2. second\nDone.", "1. first\n2. second\n\nDone.")]
    [InlineData("Already:\n\n- apart\n\nfine", "Already:\n\n- apart\n\nfine")]
    [InlineData("```\n- not a list\ntext\n```", "```\n- not a list\ntext\n```")]
    [InlineData("one line - with a dash", "one line - with a dash")]
    [InlineData("a\nb", "a\nb")]
    public void ListsAreSetApartFromTheTextAroundThem(string text, string expected)
    {
        Assert.Equal(expected, MarkdownLists.Separate(text));
    }
}
