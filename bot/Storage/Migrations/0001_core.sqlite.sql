CREATE TABLE conversations (
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    tenant_id TEXT NULL,
    is_group INTEGER NOT NULL,
    name TEXT NULL,
    reference_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT pk_conversations PRIMARY KEY (channel_id, conversation_id)
);
