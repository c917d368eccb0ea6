-- Who changed the Early Adopter registry, when, and how: written by the registry's own operations (chat commands,
-- imports run by an operator, erasure). Only ever appended; erasure replaces a person's details here too.
CREATE TABLE registry_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    site TEXT,
    subject TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX ix_registry_changes_site ON registry_changes (site);
