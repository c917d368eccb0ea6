-- Action lists (seed 003: "minutes and action list"): each action has one owner and a due date, and may come from a
-- meeting or belong to a task force.
CREATE TABLE action_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    due TEXT NOT NULL,
    meeting_id INTEGER NULL REFERENCES meetings (id),
    task_force_id INTEGER NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    done_at INTEGER NULL,
    done_by TEXT NULL,
    done_note TEXT NULL
);
CREATE INDEX ix_action_items_open ON action_items (due) WHERE done_at IS NULL;
CREATE INDEX ix_action_items_owner ON action_items (owner_id) WHERE done_at IS NULL;

-- Task forces (seed 003): created and dissolved by the quarterly planning, with a mandate, a lead and an end date.
-- A task force's room is a channel binding of purpose 'taskforce' keyed by its id.
CREATE TABLE task_forces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    mandate TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    until TEXT NULL,
    status TEXT NULL,
    status_at INTEGER NULL,
    priority INTEGER NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    dissolved_at INTEGER NULL,
    closing_note TEXT NULL
);
CREATE UNIQUE INDEX ux_task_forces_name ON task_forces (name_key) WHERE dissolved_at IS NULL;

CREATE TABLE task_force_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_force_id INTEGER NOT NULL REFERENCES task_forces (id),
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    left_at INTEGER NULL
);
CREATE UNIQUE INDEX ux_task_force_members ON task_force_members (task_force_id, user_id) WHERE left_at IS NULL;
