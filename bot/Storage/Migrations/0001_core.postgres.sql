CREATE TABLE conversations (
    channel_id text NOT NULL,
    conversation_id text NOT NULL,
    service_url text NOT NULL,
    tenant_id text NULL,
    is_group boolean NOT NULL,
    name text NULL,
    reference_json text NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT pk_conversations PRIMARY KEY (channel_id, conversation_id)
);
