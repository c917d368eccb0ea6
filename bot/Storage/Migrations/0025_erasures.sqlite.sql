-- Data-protection erasures: who erased whom (by pseudonym, never the person's details) and when.
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    what TEXT NOT NULL
);
