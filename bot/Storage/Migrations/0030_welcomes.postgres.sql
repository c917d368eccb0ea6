-- The conversations the bot has welcomed: one hello per room or personal chat, however often Teams repeats its install events.
CREATE TABLE welcomed_conversations (
    channel_id text NOT NULL,
    conversation_id text NOT NULL,
    welcomed_at timestamptz NOT NULL,
    PRIMARY KEY (channel_id, conversation_id)
);
