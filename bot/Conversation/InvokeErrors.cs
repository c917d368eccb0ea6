namespace Rollout.Bot.Conversation;

/// <summary>
/// The <c>code</c> of an <c>application/vnd.microsoft.error</c> invoke answer (Universal Actions): the message says what
/// was wrong and what to do; the code says which kind of no it is, for logs and clients that branch on it.
/// </summary>
public static class InvokeErrors
{
    /// <summary>The click was refused and nothing changed (no right, already done, not now, bad data).</summary>
    public const string Refused = "Refused";

    /// <summary>The button names a verb the bot no longer has.</summary>
    public const string UnknownButton = "UnknownButton";

    /// <summary>Something failed on the bot's side; nothing changed (HTTP-like status 500).</summary>
    public const string FailedOnOurSide = "FailedOnOurSide";
}
