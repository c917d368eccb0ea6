CREATE TABLE dl_conversations (
    conversation_id text NOT NULL,
    name text NULL,
    is_group boolean NOT NULL,
    members_json text NOT NULL,
    CONSTRAINT pk_dl_conversations PRIMARY KEY (conversation_id)
);

-- A deleted activity keeps its row with json NULL, so the highest seq (the watermark) never goes back.
CREATE TABLE dl_activities (
    conversation_id text NOT NULL,
    activity_id text NOT NULL,
    seq bigint NOT NULL,
    json text NULL,
    CONSTRAINT pk_dl_activities PRIMARY KEY (conversation_id, activity_id)
);

CREATE UNIQUE INDEX ix_dl_activities_seq ON dl_activities (conversation_id, seq);
