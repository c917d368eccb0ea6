-- Where a release's packages are once they moved to production (seed 002 §2.4 3.9): the broadcast points there.
-- Releases closed before this were announced at their close with the staged-rollout repository; that is what sites
-- were told, so it is kept as their production location and none of them waits for a repository manager.
ALTER TABLE tickets ADD COLUMN production_repository_url TEXT NULL;
UPDATE tickets SET production_repository_url = repository_url
WHERE state = 'closed' AND outcome IN ('success', 'warning') AND repository_url IS NOT NULL;

-- A site's "not this time" for one ticket: the nags skip it, the metrics count it.
CREATE TABLE ticket_declines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    site_id INTEGER NOT NULL REFERENCES sites (id),
    site_name TEXT NOT NULL,
    declined_by TEXT NOT NULL,
    declined_by_name TEXT NOT NULL,
    declined_at INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_ticket_declines_ticket_id_site_id ON ticket_declines (ticket_id, site_id);
CREATE INDEX ix_ticket_declines_declined_at ON ticket_declines (declined_at);

-- The deciding coordinator's name, for the request's card and the requester's notice.
ALTER TABLE engagement_requests ADD COLUMN decided_by_name TEXT NULL;
