-- Ticket history rows become typed changes: a stable kind and a JSON payload next to the sentence people read
-- (what, from, to, reason). Code reads the kind and payload; nothing reads the sentences back. Rows written before
-- this migration get their kind and payload here, from the sentences the bot wrote then, which were fixed strings.
ALTER TABLE ticket_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'note';
ALTER TABLE ticket_history ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';

UPDATE ticket_history SET kind = CASE
    WHEN what = 'created' THEN 'opened'
    WHEN what = 'state' THEN 'state-moved'
    WHEN what = 'package pull failed' THEN 'pull-failed'
    WHEN what = 'repository' THEN 'repository-set'
    WHEN what = 'site accepted' THEN 'site-accepted'
    WHEN what LIKE 'site % done' THEN 'site-reported'
    WHEN what LIKE 'site % withdrawn' THEN 'site-withdrawn'
    WHEN what = 'outcome' THEN 'outcome-set'
    WHEN what = 'staged rollout skipped (emergency)' THEN 'emergency-skipped'
    WHEN what = 'acceptance snoozed' THEN 'acceptance-snoozed'
    WHEN what = 'disclosed' THEN 'disclosed'
    WHEN what = 'target-missed' THEN 'target-missed'
    ELSE 'note' END;

UPDATE ticket_history SET payload = CASE kind
    WHEN 'opened' THEN json_object('kind', 'opened')
    WHEN 'state-moved' THEN json_object('kind', kind, 'from', from_value, 'to', to_value, 'reason', reason)
    WHEN 'pull-failed' THEN json_object('kind', kind, 'reason', reason)
    WHEN 'repository-set' THEN json_object('kind', kind, 'previous', from_value, 'url', to_value)
    WHEN 'site-accepted' THEN json_object('kind', kind, 'site', to_value, 'siteId',
        (SELECT p.site_id FROM ticket_participations p WHERE p.ticket_id = ticket_history.ticket_id AND p.site_name = ticket_history.to_value))
    WHEN 'site-reported' THEN json_object('kind', kind, 'site', substr(what, 6, length(what) - 10),
        'siteId', (SELECT p.site_id FROM ticket_participations p WHERE p.ticket_id = ticket_history.ticket_id AND p.site_name = substr(what, 6, length(what) - 10)),
        'outcome', substr(to_value, 7, length(to_value) - 7), 'notes', reason)
    WHEN 'site-withdrawn' THEN json_object('kind', kind, 'site', substr(what, 6, length(what) - 15),
        'siteId', (SELECT p.site_id FROM ticket_participations p WHERE p.ticket_id = ticket_history.ticket_id AND p.site_name = substr(what, 6, length(what) - 15)),
        'reason', reason)
    WHEN 'outcome-set' THEN json_object('kind', kind, 'outcome', to_value, 'summary', reason)
    WHEN 'emergency-skipped' THEN json_object('kind', kind, 'reason', reason)
    WHEN 'acceptance-snoozed' THEN json_object('kind', kind, 'until', to_value, 'reason', reason)
    WHEN 'disclosed' THEN json_object('kind', kind)
    WHEN 'target-missed' THEN json_object('kind', kind, 'step', to_value)
    ELSE json_object('kind', 'note', 'what', what) END;

-- The bulletin now reads state moves from ticket_step_times, which also keeps the start of the rollout.
DROP INDEX ix_ticket_history_state_at;
ALTER TABLE ticket_step_times ADD COLUMN rolling_out_at INTEGER NULL;
UPDATE ticket_step_times SET rolling_out_at = (
    SELECT MIN(h.at) FROM ticket_history h
    WHERE h.ticket_id = ticket_step_times.ticket_id AND h.what = 'state' AND h.to_value = 'rolling-out');
CREATE INDEX ix_ticket_step_times_verified_at ON ticket_step_times (verified_at) WHERE verified_at IS NOT NULL;
CREATE INDEX ix_ticket_step_times_rolling_out_at ON ticket_step_times (rolling_out_at) WHERE rolling_out_at IS NOT NULL;
CREATE INDEX ix_ticket_step_times_closed_at ON ticket_step_times (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX ix_ticket_step_times_rejected_at ON ticket_step_times (rejected_at) WHERE rejected_at IS NOT NULL;
