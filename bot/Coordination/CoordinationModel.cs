using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>The coordination tables, mapped from <see cref="RolloutDb"/> and reached as <c>db.Meetings</c> and so on.</summary>
public static class CoordinationModel
{
    internal static void Map(ModelBuilder model)
    {
        StoredMeeting.Map(model);
        StoredOccurrence.Map(model);
        CoordinationHistory.Map(model);
        ActionItem.Map(model);
        TaskForce.Map(model);
        AgendaItem.Map(model);
        MeetingMinutes.Map(model);
    }

    extension(RolloutDb db)
    {
        public DbSet<StoredMeeting> Meetings => db.Set<StoredMeeting>();
        public DbSet<StoredOccurrence> MeetingOccurrences => db.Set<StoredOccurrence>();
        public DbSet<CoordinationHistory> CoordinationHistory => db.Set<CoordinationHistory>();
        public DbSet<ActionItem> ActionItems => db.Set<ActionItem>();
        public DbSet<TaskForce> TaskForces => db.Set<TaskForce>();
        public DbSet<AgendaItem> AgendaItems => db.Set<AgendaItem>();
        public DbSet<MeetingMinutes> MeetingMinutes => db.Set<MeetingMinutes>();
        public DbSet<TaskForceMember> TaskForceMembers => db.Set<TaskForceMember>();
    }
}
