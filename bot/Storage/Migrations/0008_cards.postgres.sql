-- When a coordinator lifted the embargo of a restricted (security) ticket; its production announcement goes out then.
ALTER TABLE tickets ADD COLUMN disclosed_at timestamptz NULL;
