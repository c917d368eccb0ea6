-- The dispatcher holds a notice back while an earlier one to the same recipient is unsent (retry order per conversation):
-- that look-up goes by recipient.
CREATE INDEX ix_notices_recipient_state_id ON notices (recipient, state, id);
