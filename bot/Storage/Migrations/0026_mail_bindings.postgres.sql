-- E-mail addresses and mailing lists that receive a kind of notice, beside (or instead of) a bound conversation.
CREATE TABLE mail_bindings (
    id BIGSERIAL PRIMARY KEY,
    purpose TEXT NOT NULL,
    stack TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    is_list BOOLEAN NOT NULL,
    bound_by TEXT NOT NULL,
    bound_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_mail_bindings ON mail_bindings (purpose, stack, lower(address));
