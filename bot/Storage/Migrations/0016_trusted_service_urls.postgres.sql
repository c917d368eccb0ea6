-- Whether a conversation's serviceUrl came with a valid channel token. Rows from before are not trusted: they may
-- have been written while the bot ran without auth, and the bot's token must only go where a channel vouched for.
ALTER TABLE conversations ADD COLUMN trusted boolean NOT NULL DEFAULT false;
