CREATE TABLE holidays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    name TEXT NOT NULL,
    site_id INTEGER NULL REFERENCES sites (id),
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
-- NULL site means "everyone"; COALESCE makes two everyone-holidays on one date collide, as they should.
CREATE UNIQUE INDEX ux_holidays_date_site ON holidays (date, COALESCE(site_id, 0));

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    site_id INTEGER NULL,
    rule TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    payload TEXT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    fired_at INTEGER NULL,
    fired_by TEXT NULL,
    last_error TEXT NULL
);
-- One reminder per (subject, site, rule, due instant): a restart or a second instance scheduling it again is a no-op.
CREATE UNIQUE INDEX ux_reminders_key ON reminders (subject, COALESCE(site_id, 0), rule, due_at);
CREATE INDEX ix_reminders_state_due ON reminders (state, due_at);

CREATE TABLE bulletin_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting TEXT NOT NULL,
    meeting_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
-- One bulletin per meeting occurrence, however often the trigger fires.
CREATE UNIQUE INDEX ux_bulletin_posts_meeting ON bulletin_posts (meeting, meeting_at);
