-- Pilot partner levels (seed 001 §4.1): a site registers its interest in advance, per level, and may hold several
-- (Gold and Platinum, say). Rows are history: a withdrawal marks the row, a new registration adds one.
CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    level TEXT NOT NULL,
    interest TEXT NULL,
    registered_by TEXT NOT NULL,
    registered_by_name TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    withdrawn_by TEXT NULL,
    withdrawn_at INTEGER NULL,
    withdraw_reason TEXT NULL
);
CREATE INDEX ix_partnerships_site_id ON partnerships (site_id);
CREATE INDEX ix_partnerships_level ON partnerships (level);

-- The one level a site could have before (sites.level, stored by /site add and read by nothing) becomes its first
-- registration; the column stays for old readers but nothing writes it any more.
INSERT INTO partnerships (site_id, level, interest, registered_by, registered_by_name, registered_at)
SELECT id, lower(level), NULL, 'migration', 'Rollout.Bot', created_at FROM sites WHERE level IS NOT NULL;

-- A join request can ask for a partner level too.
ALTER TABLE engagement_requests ADD COLUMN level TEXT NULL;
