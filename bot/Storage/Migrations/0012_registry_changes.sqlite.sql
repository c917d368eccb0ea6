-- The registry could only grow and kept no trace of who changed it. Sites now have a normalised name key (Unicode
-- lower case, computed by the bot: SQLite's lower() folds ASCII only, so "ÅSITE" was not found again), can be removed
-- (kept for history, their name free again), and every registry change is kept with who and when.
ALTER TABLE sites ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN removed_at INTEGER NULL;
-- Rewritten with the bot's own key at start-up (RegistryKeys); lower() is right for the ASCII names kept so far.
UPDATE sites SET name_key = lower(name);
DROP INDEX ux_sites_name;
CREATE UNIQUE INDEX ux_sites_name_key ON sites (name_key) WHERE removed_at IS NULL;

CREATE TABLE registry_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    what TEXT NOT NULL,
    from_value TEXT NULL,
    to_value TEXT NULL,
    reason TEXT NULL
);
CREATE INDEX ix_registry_changes_site_id ON registry_changes (site_id);
