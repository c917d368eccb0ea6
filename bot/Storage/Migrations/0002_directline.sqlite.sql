CREATE TABLE dl_conversations (
    conversation_id TEXT NOT NULL,
    name TEXT NULL,
    is_group INTEGER NOT NULL,
    members_json TEXT NOT NULL,
    CONSTRAINT pk_dl_conversations PRIMARY KEY (conversation_id)
);

-- A deleted activity keeps its row with json NULL, so the highest seq (the watermark) never goes back.
CREATE TABLE dl_activities (
    conversation_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    json TEXT NULL,
    CONSTRAINT pk_dl_activities PRIMARY KEY (conversation_id, activity_id)
);

CREATE UNIQUE INDEX ix_dl_activities_seq ON dl_activities (conversation_id, seq);
