-- Pilot services (seed 001 §4.1.3): the pilot, its typed history, the sites and VOs asked to take part, the effort.
CREATE TABLE pilots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    component TEXT NULL,
    version TEXT NULL,
    ticket_id INTEGER NULL REFERENCES tickets (id),
    category TEXT NOT NULL,
    requester TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    objectives TEXT NULL,
    wanted_vos TEXT NULL,
    state TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_by_name TEXT NOT NULL,
    coordinator_id TEXT NULL,
    coordinator_name TEXT NULL,
    kick_off_at INTEGER NULL,
    kick_off_zone TEXT NULL,
    kick_off_minutes INTEGER NOT NULL DEFAULT 0,
    setup_days INTEGER NOT NULL DEFAULT 0,
    feedback_days INTEGER NOT NULL DEFAULT 0,
    cadence_days INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NULL,
    run_ends_at INTEGER NULL,
    decision TEXT NULL,
    guidelines TEXT NULL,
    no_feedback INTEGER NOT NULL DEFAULT 0,
    non_certified TEXT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    row_version INTEGER NOT NULL
);
CREATE INDEX ix_pilots_state ON pilots (state);

CREATE TABLE pilot_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pilot_id INTEGER NOT NULL REFERENCES pilots (id),
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    what TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX ix_pilot_history_pilot_id ON pilot_history (pilot_id);
CREATE INDEX ix_pilot_history_kind ON pilot_history (kind);

CREATE TABLE pilot_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pilot_id INTEGER NOT NULL REFERENCES pilots (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    site_id INTEGER NULL REFERENCES sites (id),
    contact_user_id TEXT NULL,
    state TEXT NOT NULL,
    invited_at INTEGER NOT NULL,
    answered_at INTEGER NULL,
    answered_by TEXT NULL,
    reason TEXT NULL,
    set_up_at INTEGER NULL,
    run_ends_at INTEGER NULL,
    post_mortem_due INTEGER NULL,
    post_mortem TEXT NULL,
    post_mortem_at INTEGER NULL
);
CREATE UNIQUE INDEX ux_pilot_participants ON pilot_participants (pilot_id, kind, name);
CREATE INDEX ix_pilot_participants_site_id ON pilot_participants (site_id);

CREATE TABLE pilot_effort (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pilot_id INTEGER NOT NULL REFERENCES pilots (id),
    task TEXT NOT NULL,
    role TEXT NOT NULL,
    party TEXT NOT NULL,
    site_id INTEGER NULL REFERENCES sites (id),
    default_hours REAL NOT NULL,
    actual_hours REAL NULL,
    at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_pilot_effort ON pilot_effort (pilot_id, task, party);

-- The update category of seed 004 on a ticket (optional): it decides whether the release calls for a pilot.
ALTER TABLE tickets ADD COLUMN update_category TEXT NULL;
