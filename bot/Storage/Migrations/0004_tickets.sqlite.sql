CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    component TEXT NOT NULL,
    version TEXT NOT NULL,
    stack TEXT NOT NULL,
    release_type TEXT NOT NULL,
    os TEXT NULL,
    arch TEXT NULL,
    notes_url TEXT NULL,
    changelog_url TEXT NULL,
    certification_url TEXT NULL,
    docs_url TEXT NULL,
    bug_urls TEXT NULL,
    security_advisory_url TEXT NULL,
    provider_id TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    repository_url TEXT NULL,
    state TEXT NOT NULL,
    outcome TEXT NULL,
    summary TEXT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_tickets_state ON tickets (state);
CREATE INDEX ix_tickets_component ON tickets (component);

CREATE TABLE ticket_participations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    site_id INTEGER NOT NULL REFERENCES sites (id),
    site_name TEXT NOT NULL,
    accepted_by TEXT NOT NULL,
    accepted_by_name TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    done_at INTEGER NULL,
    outcome TEXT NULL,
    report TEXT NULL,
    hours REAL NULL,
    bug_urls TEXT NULL,
    withdrawn_at INTEGER NULL,
    withdrawn_by TEXT NULL,
    withdraw_reason TEXT NULL
);
CREATE UNIQUE INDEX ux_ticket_participations_ticket_site ON ticket_participations (ticket_id, site_id);

CREATE TABLE ticket_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    what TEXT NOT NULL,
    from_value TEXT NULL,
    to_value TEXT NULL,
    reason TEXT NULL
);
CREATE INDEX ix_ticket_history_ticket_id ON ticket_history (ticket_id);

CREATE TABLE ticket_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX ix_ticket_comments_ticket_id ON ticket_comments (ticket_id);
