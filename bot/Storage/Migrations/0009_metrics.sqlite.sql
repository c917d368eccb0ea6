-- Metrics group the state moves of each ticket and filter releases and acceptances by period; without these the
-- million-row history is scanned once per query.
CREATE INDEX ix_ticket_history_state ON ticket_history (ticket_id, what, to_value, at);
CREATE INDEX ix_tickets_created_at ON tickets (created_at);
CREATE INDEX ix_ticket_participations_accepted_at ON ticket_participations (accepted_at);
-- The status page and the Atom feed list the latest closed releases by updated_at.
CREATE INDEX ix_tickets_state_updated_at ON tickets (state, updated_at);
