-- Meetings become data: seeded from Scheduling:Meetings at start-up, managed by coordinators in chat (/meeting).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    recurrence TEXT NOT NULL,
    day TEXT NULL,
    anchor TEXT NULL,
    time TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    room TEXT NULL,
    channel TEXT NOT NULL,
    bulletin INTEGER NOT NULL,
    bulletin_lead_minutes INTEGER NOT NULL,
    chairs TEXT NOT NULL,
    secretaries TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    removed_at INTEGER NULL
);
-- One live meeting per name (case-insensitive): name_key is the lower-cased name.
CREATE UNIQUE INDEX ux_meetings_name ON meetings (name_key) WHERE removed_at IS NULL;

-- One occurrence of a series taken out of it (cancelled, moved) or given a note for its bulletin; named by the
-- local date the series gives it, so that a moved occurrence keeps its agenda and minutes.
CREATE TABLE meeting_occurrences (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    date TEXT NOT NULL,
    cancelled INTEGER NOT NULL,
    moved_to TEXT NULL,
    reason TEXT NULL,
    bulletin_note TEXT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, date)
);

-- What happened to meetings, actions and task forces: the sentence people read and the typed change (kind, payload).
CREATE TABLE coordination_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    what TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX ix_coordination_history_subject ON coordination_history (subject, at);
