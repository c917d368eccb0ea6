-- Metrics look a site's acceptance up among the restricted releases only (their component and provider decide who may
-- see the site's part in them): a small partial index instead of a visit to the wide tickets row for every acceptance.
CREATE INDEX ix_tickets_restricted ON tickets (id, component, provider_id)
    WHERE security_advisory_url IS NOT NULL AND disclosed_at IS NULL;
