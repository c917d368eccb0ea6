using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Notices;
using Rollout.Bot.Pilots;
using Rollout.Bot.Protocol;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tickets;
using Rollout.Bot.Protocol.DirectLine;

namespace Rollout.Bot.Storage;

/// <summary>The bot's database, used directly by features. Each feature maps its own tables in its own file.</summary>
public sealed class RolloutDb(DbContextOptions<RolloutDb> options) : DbContext(options)
{
    public DbSet<StoredConversation> Conversations => Set<StoredConversation>();
    public DbSet<RoleGrant> RoleGrants => Set<RoleGrant>();
    public DbSet<Identity.SignInRole> SignInRoles => Set<Identity.SignInRole>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteAdmin> SiteAdmins => Set<SiteAdmin>();
    public DbSet<RegistryChange> RegistryChanges => Set<RegistryChange>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<Component> Components => Set<Component>();
    public DbSet<EngagementRequest> EngagementRequests => Set<EngagementRequest>();
    public DbSet<ErasureRecord> Erasures => Set<ErasureRecord>();
    public DbSet<Holiday> Holidays => Set<Holiday>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<BulletinPost> BulletinPosts => Set<BulletinPost>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<Participation> Participations => Set<Participation>();
    public DbSet<TicketHistory> TicketHistory => Set<TicketHistory>();
    public DbSet<TicketStepTimes> TicketStepTimes => Set<TicketStepTimes>();
    public DbSet<TicketComment> TicketComments => Set<TicketComment>();
    public DbSet<SiteDecline> SiteDeclines => Set<SiteDecline>();
    public DbSet<ChannelBinding> ChannelBindings => Set<ChannelBinding>();
    public DbSet<UserConversation> UserConversations => Set<UserConversation>();
    public DbSet<WelcomedConversation> WelcomedConversations => Set<WelcomedConversation>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<Rollout.Bot.Notices.Mail.MailBinding> MailBindings => Set<Rollout.Bot.Notices.Mail.MailBinding>();
    public DbSet<PostedCard> PostedCards => Set<PostedCard>();
    public DbSet<Partnership> Partnerships => Set<Partnership>();
    public DbSet<Pilot> Pilots => Set<Pilot>();
    public DbSet<PilotHistory> PilotHistory => Set<PilotHistory>();
    public DbSet<PilotParticipant> PilotParticipants => Set<PilotParticipant>();
    public DbSet<PilotEffort> PilotEffort => Set<PilotEffort>();
    public DbSet<DirectLineConversationRow> DirectLineConversations => Set<DirectLineConversationRow>();
    public DbSet<DirectLineActivityRow> DirectLineActivities => Set<DirectLineActivityRow>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        StoredConversation.Map(model);
        RoleGrant.Map(model);
        Identity.SignInRole.Map(model);
        Site.Map(model);
        SiteAdmin.Map(model);
        RegistryChange.Map(model);
        Commitment.Map(model);
        Component.Map(model);
        EngagementRequest.Map(model);
        ErasureRecord.Map(model);
        Holiday.Map(model);
        Reminder.Map(model);
        BulletinPost.Map(model);
        Ticket.Map(model);
        Participation.Map(model);
        Rollout.Bot.Tickets.TicketHistory.Map(model);
        Rollout.Bot.Tickets.TicketStepTimes.Map(model);
        TicketComment.Map(model);
        SiteDecline.Map(model);
        ChannelBinding.Map(model);
        UserConversation.Map(model);
        WelcomedConversation.Map(model);
        Notice.Map(model);
        Rollout.Bot.Notices.Mail.MailBinding.Map(model);
        PostedCard.Map(model);
        Partnership.Map(model);
        Pilot.Map(model);
        Rollout.Bot.Pilots.PilotHistory.Map(model);
        PilotParticipant.Map(model);
        Rollout.Bot.Pilots.PilotEffort.Map(model);
        DirectLineConversationRow.Map(model);
        DirectLineActivityRow.Map(model);
        Coordination.CoordinationModel.Map(model);

        // Columns are snake_case unless a Map() names one differently: the SQL migrations are written that way.
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name) property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private List<Action>? _afterCommit;

    // Database.ProviderName (behind IsSqlite() and IsNpgsql()) reads the provider assembly's name by reflection on every
    // call, and every turn asks it a few times (the write gate, the ticket lock): asked once per options instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContextOptions, EngineKind> Engines = new();

    private sealed record EngineKind(bool Sqlite, bool Npgsql);

    private EngineKind EngineOf()
    {
        if (Engines.TryGetValue(options, out var engine)) return engine;
        engine = new EngineKind(Database.IsSqlite(), Database.IsNpgsql());
        Engines.TryAdd(options, engine);
        return engine;
    }

    /// <summary>As <c>Database.IsSqlite()</c>, without its per-call reflection.</summary>
    public bool IsSqlite => EngineOf().Sqlite;

    /// <summary>As <c>Database.IsNpgsql()</c>, without its per-call reflection.</summary>
    public bool IsNpgsql => EngineOf().Npgsql;

    /// <summary>Recipients of the notices queued in this context since its last save (the outbox wakes the dispatcher for them).</summary>
    internal HashSet<string>? NoticeRecipients { get; set; }

    /// <summary>Something was queued that needs the dispatcher's full round (a card update, a retry), not one per recipient.</summary>
    internal bool NoticesNeedFullRound { get; set; }

    /// <summary>
    /// Runs <paramref name="action"/> once the current transaction commits, or at once when there is none (SaveChanges
    /// has then committed already). The same action is queued once per transaction.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (Database.CurrentTransaction is null)
        {
            action();
            return;
        }
        _afterCommit ??= [];
        if (!_afterCommit.Contains(action)) _afterCommit.Add(action);
    }

    internal void RunAfterCommit()
    {
        var actions = _afterCommit;
        _afterCommit = null;
        if (actions is null) return;
        foreach (var action in actions) action();
    }

    internal void ForgetAfterCommit() => _afterCommit = null;

    internal static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no instant type; UTC ticks in an INTEGER keep ordering and comparison in SQL.
        if (Database.IsSqlite())
        {
            conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            conventions.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
