using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations.Import;

/// <summary>What an import did, or why it did nothing.</summary>
public sealed record ImportResult(IReadOnlyList<string> Errors, int SitesAdded = 0, int SitesUpdated = 0, int AdminsAdded = 0,
    int AdminsUpdated = 0, int Commitments = 0)
{
    public bool Ok => Errors.Count == 0;
    public int Changes => SitesAdded + SitesUpdated + AdminsAdded + AdminsUpdated + Commitments;

    public string Summary => !Ok
        ? $"Nothing was imported: {Errors.Count} problem(s).\n" + string.Join("\n", Errors)
        : Changes == 0 ? "Nothing to change: the registry already holds everything in the file."
        : $"Imported: {SitesAdded} site(s) added, {SitesUpdated} updated, {AdminsAdded} admin(s) added, {AdminsUpdated} updated, " +
          $"{Commitments} commitment(s) added.";
}

/// <summary>
/// Imports sites, admins and commitments all or nothing: every line is checked against the rules the chat commands
/// apply, every problem reported with its line number, and only a clean file is written, in one transaction, through
/// <see cref="RegistryOperations"/> (so each change is recorded with the operator as its author). What the registry
/// already holds is skipped, so running the same file twice changes nothing the second time.
/// </summary>
public sealed class SiteImport(RolloutOptions options, RegistryOperations registry)
{
    public async Task<ImportResult> RunAsync(RolloutDb db, IReadOnlyList<SiteRow> rows, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new List<string>();
        foreach (var row in rows) Check(row, errors);
        foreach (var group in rows.Where(r => r.Name.Length > 0).GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase))
        {
            var first = group.First();
            foreach (var other in group.Skip(1))
            {
                if (!Same(other.Stack, first.Stack) || (other.Level is not null && first.Level is not null && !Same(other.Level, first.Level))
                    || (other.Tz is not null && first.Tz is not null && other.Tz != first.Tz))
                    errors.Add($"line {other.Line}: {other.Name} says something else than line {first.Line} about its stack, level or time zone");
            }
        }
        var existing = await db.Sites.Where(s => s.RemovedAt == null).ToListAsync(ct);
        foreach (var row in rows.Where(r => r.Stack is not null))
        {
            var site = existing.FirstOrDefault(s => Same(s.Name, row.Name));
            if (site is not null && options.FindStack(row.Stack) is { } stack && site.Stack != stack)
                errors.Add($"line {row.Line}: {site.Name} is registered for {site.Stack}, the file says {stack}; an import does not move a site");
        }
        var retired = (await db.Components.AsNoTracking().Where(c => c.RetiredAt != null).Select(c => c.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
            foreach (var component in row.Components.Where(retired.Contains))
                errors.Add($"line {row.Line}: {component} is retired; bring it back with /component add first");
        if (errors.Count > 0) return new ImportResult(errors.OrderBy(LineOf).ToList());

        return await ApplyAsync(db, rows, existing, by, now, ct);
    }

    private void Check(SiteRow row, List<string> errors)
    {
        var at = $"line {row.Line}: ";
        if (row.Name.Length == 0) errors.Add(at + "the site has no name");
        else if (Sites.NameProblem(row.Name) is { } badName) errors.Add(at + badName);
        if (row.Stack is null) errors.Add(at + $"no stack; one of {options.StackList}");
        else if (options.FindStack(row.Stack) is null) errors.Add(at + $"stack '{row.Stack}' is not one I know: {options.StackList}");
        if (row.AdminEmail is not null && !CommandInput.IsEmail(row.AdminEmail))
            errors.Add(at + $"'{row.AdminEmail}' is not an e-mail address (like name@example.org)");
        if (row.AdminEmail is not null && row.AdminUser is null) errors.Add(at + "an admin e-mail without admin_user: give the admin's chat user id");
        if (row.Level is not null && Partners.ParseLevels(row.Level).Unknown is { Count: > 0 } unknown)
            errors.Add(at + $"level '{string.Join(", ", unknown)}' is not one of {Sites.Levels} (several: gold+platinum)");
        if (row.Tz is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(row.Tz, out _))
            errors.Add(at + $"time zone '{row.Tz}' is not known: use an IANA name like Europe/Zurich");
    }

    private async Task<ImportResult> ApplyAsync(RolloutDb db, IReadOnlyList<SiteRow> rows, List<Site> existing, Actor by, DateTimeOffset now,
        CancellationToken ct)
    {
        int sitesAdded = 0, sitesUpdated = 0, adminsAdded = 0, adminsUpdated = 0, commitments = 0;
        var admins = await db.SiteAdmins.Where(a => a.RemovedAt == null).ToListAsync(ct);
        var active = await db.Commitments.Where(c => c.EndedAt == null && c.Os == null && c.Arch == null).ToListAsync(ct);
        var sites = existing.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        var partnerships = await Partners.Active(db).AsNoTracking().ToListAsync(ct);
        var levelsOf = existing.ToDictionary(s => s, s => (ICollection<PartnerLevel>)partnerships.Where(p => p.SiteId == s.Id).Select(p => p.Level).ToHashSet());
        foreach (var row in rows)
        {
            var levels = row.Level is null ? [] : Partners.ParseLevels(row.Level).Levels;
            if (!sites.TryGetValue(row.Name, out var site))
            {
                site = registry.AddSite(db, by, now, row.Name, options.FindStack(row.Stack)!, levels.Count > 0 ? levels[0] : null, row.Tz);
                sites[row.Name] = site;
                levelsOf[site] = levels.Take(1).ToHashSet();
                sitesAdded++;
            }
            if (registry.UpdateSite(db, by, now, site, levels, levelsOf[site], row.Tz) && site.Id != 0) sitesUpdated++;

            if (row.AdminUser is { } user)
            {
                var admin = admins.FirstOrDefault(a => (a.SiteId == site.Id && site.Id != 0 || a.Site == site) && a.UserId == user);
                if (admin is null)
                {
                    admins.Add(registry.AddAdmin(db, by, now, site, user, user, row.AdminEmail));
                    adminsAdded++;
                }
                else if (registry.UpdateAdminEmail(db, by, now, site, admin, row.AdminEmail)) adminsUpdated++;
            }
            foreach (var component in row.Components)
            {
                if (active.Any(c => (c.SiteId == site.Id && site.Id != 0 || c.Site == site) && Same(c.Component, component))) continue;
                var known = await ComponentCatalogue.FindAsync(db, component, ct);
                active.Add(await registry.CommitAsync(db, by, now, site, known?.Name ?? component, ct));
                commitments++;
            }
        }
        await db.SaveChangesAsync(ct);
        return new ImportResult([], sitesAdded, sitesUpdated, adminsAdded, adminsUpdated, commitments);
    }

    private static bool Same(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    private static int LineOf(string error) =>
        error.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(error[5..error.IndexOf(':')], out var n) ? n : 0;
}
