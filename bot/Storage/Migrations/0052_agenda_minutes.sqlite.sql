-- The agenda of one occurrence of a meeting (named by its series date): items anyone with a role adds, in the order
-- the chair sets; a dropped item is kept, marked.
CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    date TEXT NOT NULL,
    position integer NOT NULL,
    text text NOT NULL,
    added_by text NOT NULL,
    added_by_name text NOT NULL,
    added_at INTEGER NOT NULL,
    dropped_at INTEGER NULL
);
CREATE INDEX ix_agenda_items_occurrence ON agenda_items (meeting_id, date);

-- The minutes of one occurrence, as its secretary recorded them; decisions are the lines marked as such.
CREATE TABLE meeting_minutes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    date TEXT NOT NULL,
    meeting_at INTEGER NOT NULL,
    text text NOT NULL,
    recorded_by text NOT NULL,
    recorded_by_name text NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_meeting_minutes_occurrence ON meeting_minutes (meeting_id, date);
