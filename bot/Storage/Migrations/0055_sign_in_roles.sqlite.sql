-- Roles a person's identity provider gave them at their last Web Chat sign-in (WebChat:Oidc groups); replaced at each sign-in.
CREATE TABLE sign_in_roles (
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    from_group TEXT NOT NULL,
    signed_in_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
);
