-- A reminder is told apart by what it is about too: a ticket's Table 3 checks share one rule and differ by their step
-- (the payload), and two steps can fall due at the same instant (an emergency's verification and staged-rollout
-- steps, both 2.5 hours).
DROP INDEX ux_reminders_key;
CREATE UNIQUE INDEX ux_reminders_key ON reminders (subject, COALESCE(site_id, 0), rule, COALESCE(payload, ''), due_at);
