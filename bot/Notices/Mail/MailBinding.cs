using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Notices.Mail;

/// <summary>
/// An address that gets the notices of a purpose (and stack), as a bound conversation does: a person's mailbox or a
/// mailing list. A list is read by people the bot cannot check, so nothing restricted is ever sent to one.
/// </summary>
public sealed class MailBinding
{
    public long Id { get; set; }
    public required string Purpose { get; set; }
    public string Stack { get; set; } = "";
    public required string Address { get; set; }
    public bool IsList { get; set; }
    public required string BoundBy { get; set; }
    public DateTimeOffset BoundAt { get; set; }

    public string Label => NoticePurposes.Label(Purpose, Stack);

    /// <summary>Security notices describe restricted releases in full: they go to people, never to a list.</summary>
    public static bool MayCarry(string purpose, bool isList) => !(isList && purpose == NoticePurposes.Security);

    internal static void Map(ModelBuilder model) => model.Entity<MailBinding>(e =>
    {
        e.ToTable("mail_bindings");
        e.HasKey(b => b.Id);
    });
}
