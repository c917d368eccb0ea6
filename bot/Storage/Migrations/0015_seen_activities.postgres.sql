-- Activities the bot has taken on, so that a channel's re-send is processed once across restarts and instances.
-- activity_key: SHA-256 of (channel, conversation, activity id), so a huge id costs no more than a short one.
-- until_ms: while the turn runs, the end of its lease (a crashed instance's claim lapses); once it completed, the end
-- of the de-dup window. A row past its until_ms may be claimed again and is pruned.
CREATE TABLE seen_activities (
    activity_key text NOT NULL,
    until_ms bigint NOT NULL,
    CONSTRAINT pk_seen_activities PRIMARY KEY (activity_key)
);
CREATE INDEX ix_seen_activities_until ON seen_activities (until_ms);
