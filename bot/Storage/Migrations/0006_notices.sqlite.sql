CREATE TABLE channel_bindings (
    purpose TEXT NOT NULL,
    stack TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    teams_channel_id TEXT NULL,
    tenant_id TEXT NULL,
    bound_by TEXT NOT NULL,
    bound_at INTEGER NOT NULL,
    CONSTRAINT pk_channel_bindings PRIMARY KEY (purpose, stack)
);

CREATE TABLE user_conversations (
    user_id TEXT NOT NULL PRIMARY KEY,
    channel_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    tenant_id TEXT NULL,
    bot_id TEXT NULL,
    bot_name TEXT NULL,
    user_name TEXT NULL,
    conversation_id TEXT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key TEXT NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    card_key TEXT NULL,
    posted_card_id INTEGER NULL,
    payload_json TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_by TEXT NULL,
    claim_expires_at INTEGER NULL,
    last_error TEXT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER NULL,
    sent_activity_id TEXT NULL,
    sent_conversation_id TEXT NULL
);
CREATE UNIQUE INDEX ux_notices_dedupe_key_recipient ON notices (dedupe_key, recipient);
CREATE INDEX ix_notices_state_next_attempt_at ON notices (state, next_attempt_at);
CREATE INDEX ix_notices_card_key ON notices (card_key);

CREATE TABLE posted_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card_key TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    notice_id INTEGER NOT NULL REFERENCES notices (id),
    posted_at INTEGER NOT NULL
);
CREATE INDEX ix_posted_cards_card_key ON posted_cards (card_key);
