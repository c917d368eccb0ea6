CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    revoked_by TEXT NULL,
    revoked_at INTEGER NULL
);
CREATE INDEX ix_role_grants_user_id ON role_grants (user_id);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE,
    stack TEXT NOT NULL,
    level TEXT NULL,
    time_zone TEXT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_sites_name ON sites (name);

CREATE TABLE site_admins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NULL,
    added_at INTEGER NOT NULL,
    removed_at INTEGER NULL
);
CREATE INDEX ix_site_admins_user_id ON site_admins (user_id);
CREATE INDEX ix_site_admins_site_id ON site_admins (site_id);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites (id),
    component TEXT NOT NULL,
    os TEXT NULL,
    arch TEXT NULL,
    committed_at INTEGER NOT NULL,
    ended_at INTEGER NULL
);
CREATE INDEX ix_commitments_component ON commitments (component);
CREATE INDEX ix_commitments_site_id ON commitments (site_id);

CREATE TABLE components (
    name TEXT NOT NULL PRIMARY KEY,
    stack TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    retired_at INTEGER NULL
);

CREATE TABLE engagement_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_name TEXT NOT NULL,
    admin_name TEXT NOT NULL,
    admin_email TEXT NOT NULL,
    admin_user_id TEXT NOT NULL,
    component TEXT NOT NULL,
    os TEXT NULL,
    arch TEXT NULL,
    state TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_by TEXT NULL,
    decided_at INTEGER NULL,
    decline_reason TEXT NULL
);
