using System.Text.Json;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Operations.Export;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Operations.Import;

/// <summary>
/// Turns one ticket of an import file into the ticket, its sites' parts, comments, step times and typed history, checking
/// every field on the way: each problem names the field and how to fix it. History rows come from the typed changes
/// through <see cref="TicketHistory.Of"/>, as the ticket's own operations write them; the file's sentences are not read.
/// </summary>
public sealed class TicketRecordCheck(RolloutOptions options, IReadOnlyDictionary<string, Site> sites)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public (Ticket? Ticket, TicketStepTimes? Steps) Check(TicketRecord r)
    {
        if (r.Number is not > 0) Problem("number", "missing; give the ticket's number, a whole number above 0");
        var component = Required("component", r.Component, "the component's name, e.g. CREAM");
        if (component is not null && component.Any(char.IsWhiteSpace)) Problem("component", $"'{component}' must be one word");
        var version = Required("version", r.Version, "the release's version, e.g. 1.14.2");
        var stack = options.FindStack(r.Stack);
        if (r.Stack is null) Problem("stack", $"missing; one of {options.StackList}");
        else if (stack is null) Problem("stack", $"'{r.Stack}' is not a stack of this bot; one of {options.StackList}");
        var type = Enum<ReleaseType>("type", r.Type, "release type", required: true);
        var state = Enum<TicketState>("state", r.State, "ticket state", required: true);
        var outcome = Enum<Outcome>("outcome", r.Outcome, "outcome", required: false);
        if (state == TicketState.Closed && outcome is null) Problem("outcome", $"missing: a closed ticket has one of {TicketNames.Names<Outcome>()}");
        if (state is not null and not TicketState.Closed && outcome is not null)
            Problem("outcome", $"'{r.Outcome}' on a ticket in state {state.Value.ToName()}: only a closed ticket has an outcome; remove it");
        Pilots.UpdateCategory? category = null;
        if (r.UpdateCategory is { } c)
        {
            if (Pilots.UpdateCategories.TryParse(c, out var parsed)) category = parsed;
            else Problem("update_category", $"'{c}' is not an update category; one of {Pilots.UpdateCategories.All}, or null");
        }
        var restricted = r.SecurityAdvisoryUrl is not null && r.DisclosedAt is null;
        if (r.Restricted is { } said && said != restricted)
            Problem("restricted", said
                ? "true, but a restricted ticket has a security_advisory_url and no disclosed_at; give the advisory (or set restricted to false)"
                : "false, but with a security_advisory_url and no disclosed_at the ticket is restricted; set restricted to true, or give disclosed_at if it was disclosed");
        if (r.DisclosedAt is not null && r.SecurityAdvisoryUrl is null) Problem("disclosed_at", "set, but only a ticket with a security_advisory_url is disclosed; remove it");
        var providerId = Required("provider_id", r.ProviderId, "the provider's chat user id");
        var providerName = Required("provider_name", r.ProviderName, "the provider's display name");
        var created = Required("created_at", r.CreatedAt);
        var updated = Required("updated_at", r.UpdatedAt);
        if (created is not null && updated is not null && updated < created) Problem("updated_at", "earlier than created_at");
        var bugs = r.BugUrls ?? [];
        for (var i = 0; i < bugs.Count; i++) Url($"bug_urls[{i}]", bugs[i]);

        var ticket = new Ticket
        {
            Id = r.Number ?? 0, Component = component ?? "", Version = version ?? "", Stack = stack ?? "", Type = type ?? default,
            State = state ?? default, Outcome = outcome, Summary = r.Summary, SecurityAdvisoryUrl = Url("security_advisory_url", r.SecurityAdvisoryUrl),
            DisclosedAt = TicketFile.Utc(r.DisclosedAt), UpdateCategory = category, Os = r.Os, Arch = r.Arch, NotesUrl = Url("notes_url", r.NotesUrl),
            ChangelogUrl = Url("changelog_url", r.ChangelogUrl), CertificationUrl = Url("certification_url", r.CertificationUrl),
            DocsUrl = Url("docs_url", r.DocsUrl), BugUrls = bugs.Count == 0 ? null : string.Join('\n', bugs),
            ProviderId = providerId ?? "", ProviderName = providerName ?? "", RepositoryUrl = Url("repository_url", r.RepositoryUrl),
            ProductionRepositoryUrl = Url("production_repository_url", r.ProductionRepositoryUrl),
            CreatedAt = created ?? default, UpdatedAt = updated ?? default, RowVersion = 1,
        };
        Participations(ticket, r.Participations ?? []);
        Declines(ticket, r.Declines ?? []);
        Comments(ticket, r.Comments ?? []);
        History(ticket, r.History ?? []);
        if (state is not null && ticket.History.Where(h => h.Change is StateMoved).Select(h => (StateMoved)h.Change).LastOrDefault() is { } last
            && last.To != state)
            Problem("state", $"{state.Value.ToName()}, but the history's last move is to {last.To.ToName()}; the state and the history must agree");
        var steps = r.StepTimes is { } s ? new TicketStepTimes
        {
            TicketId = ticket.Id, UnverifiedAt = TicketFile.Utc(s.UnverifiedAt), VerifiedAt = TicketFile.Utc(s.VerifiedAt),
            RollingOutAt = TicketFile.Utc(s.RollingOutAt), ClosedAt = TicketFile.Utc(s.ClosedAt), RejectedAt = TicketFile.Utc(s.RejectedAt),
        } : null;
        return (_problems.Count == 0 ? ticket : null, steps);
    }

    private void Participations(Ticket ticket, List<ParticipationRecord> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var p = parts[i];
            var at = $"participations[{i}].";
            var site = Site(at + "site", p.Site);
            if (site is not null && ticket.Participations.Any(x => x.SiteId == site.Id)) Problem(at + "site", $"{p.Site} takes part twice; keep one");
            var part = new Participation
            {
                SiteId = site?.Id ?? 0, SiteName = p.SiteName ?? p.Site ?? "", AcceptedBy = Required(at + "accepted_by", p.AcceptedBy, "the admin's chat user id") ?? "",
                AcceptedByName = Required(at + "accepted_by_name", p.AcceptedByName, "the admin's display name") ?? "",
                AcceptedAt = Required(at + "accepted_at", p.AcceptedAt) ?? default, DoneAt = TicketFile.Utc(p.DoneAt),
                Outcome = Enum<Outcome>(at + "outcome", p.Outcome, "outcome", required: false), Report = p.Report, Hours = p.Hours,
                BugUrls = p.BugUrls, WithdrawnAt = TicketFile.Utc(p.WithdrawnAt), WithdrawnBy = p.WithdrawnBy, WithdrawReason = p.WithdrawReason,
            };
            if (part.DoneAt is not null && part.Outcome is null) Problem(at + "outcome", "missing: a site that is done reported an outcome");
            ticket.Participations.Add(part);
        }
    }

    private void Declines(Ticket ticket, List<DeclineRecord> declines)
    {
        for (var i = 0; i < declines.Count; i++)
        {
            var d = declines[i];
            var at = $"declines[{i}].";
            var site = Site(at + "site", d.Site);
            if (site is not null && ticket.Declines.Any(x => x.SiteId == site.Id)) Problem(at + "site", $"{d.Site} declined twice; keep one");
            ticket.Declines.Add(new SiteDecline
            {
                SiteId = site?.Id ?? 0, SiteName = d.SiteName ?? d.Site ?? "", DeclinedBy = Required(at + "declined_by", d.DeclinedBy, "a chat user id") ?? "",
                DeclinedByName = Required(at + "declined_by_name", d.DeclinedByName, "a display name") ?? "",
                DeclinedAt = Required(at + "declined_at", d.DeclinedAt) ?? default, Reason = Required(at + "reason", d.Reason, "why") ?? "",
            });
        }
    }

    private void Comments(Ticket ticket, List<CommentRecord> comments)
    {
        for (var i = 0; i < comments.Count; i++)
        {
            var c = comments[i];
            var at = $"comments[{i}].";
            ticket.Comments.Add(new TicketComment
            {
                At = Required(at + "at", c.At) ?? default, ByUserId = Required(at + "by_user_id", c.ByUserId, "a chat user id") ?? "",
                ByName = Required(at + "by_name", c.ByName, "a display name") ?? "", Text = Required(at + "text", c.Text, "what was said") ?? "",
            });
        }
    }

    private void History(Ticket ticket, List<HistoryRecord> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            var h = history[i];
            var at = $"history[{i}].";
            var when = Required(at + "at", h.At);
            var by = new Actor(Required(at + "by_user_id", h.ByUserId, "a chat user id, or 'bot'") ?? "", Required(at + "by_name", h.ByName, "a display name") ?? "");
            var change = Change(at + "change", h.Change);
            if (change is null || when is null) continue;
            if (TicketExport.NamesSite(change))
            {
                if (Site(at + "site", h.Site) is { } site) change = TicketExport.WithSite(change, site.Id);
            }
            else if (h.Site is not null) Problem(at + "site", $"a {change.StoredKind} change is about no site; remove site");
            ticket.History.Add(TicketHistory.Of(change, by, when.Value));
        }
    }

    private TicketChange? Change(string field, System.Text.Json.Nodes.JsonObject? json)
    {
        if (json is null) return Problem<TicketChange>(field, "missing; give the typed change, e.g. {\"kind\": \"opened\"}");
        var kind = json["kind"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var k) ? k : null;
        if (kind is null || !TicketChange.AllKinds.Contains(kind))
            return Problem<TicketChange>(field + ".kind", $"{(kind is null ? "missing" : $"'{kind}' is not a kind of ticket change")}; one of {string.Join(", ", TicketChange.AllKinds)}");
        try
        {
            // The discriminator must come first for System.Text.Json; put it there whatever the file's order.
            var ordered = new System.Text.Json.Nodes.JsonObject { ["kind"] = kind };
            foreach (var (name, value) in json.Where(p => p.Key != "kind")) ordered[name] = value?.DeepClone();
            return TicketChange.FromJson(ordered.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return Problem<TicketChange>(field, $"not a {kind} change as the bot stores it ({ex.Message.Split(" Path:")[0]}); export it again from the bot");
        }
    }

    private Site? Site(string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return Problem<Site>(field, "missing; name the site as the registry does");
        if (sites.TryGetValue(Sites.Key(name), out var site)) return site;
        return Problem<Site>(field, $"'{name}' is not in this bot's registry; import the sites first (`export registry` where the " +
            "tickets come from, then `import sites` here)");
    }

    private T? Enum<T>(string field, string? text, string what, bool required) where T : struct, System.Enum
    {
        if (text is null)
        {
            if (required) Problem(field, $"missing; one of {TicketNames.Names<T>()}");
            return null;
        }
        if (TicketNames.TryParse<T>(text, out var value)) return value;
        Problem(field, $"'{text}' is not a {what}; one of {TicketNames.Names<T>()}");
        return null;
    }

    private string? Url(string field, string? text)
    {
        if (text is null) return null;
        if (TicketCommand.TryUrl(field, text, out var url, out _)) return url;
        return Problem<string>(field, $"'{text}' is not an absolute http(s) URL such as https://example.org/notes");
    }

    private string? Required(string field, string? text, string what) =>
        string.IsNullOrWhiteSpace(text) ? Problem<string>(field, $"missing; give {what}") : text;

    private DateTimeOffset? Required(string field, DateTimeOffset? at) =>
        TicketFile.Utc(at) ?? Problem<DateTimeOffset?>(field, "missing; give a time such as 2026-03-02T10:00:00+00:00");

    private T? Problem<T>(string field, string message)
    {
        Problem(field, message);
        return default;
    }

    private void Problem(string field, string message) => _problems.Add($"{field}: {message}");
}
