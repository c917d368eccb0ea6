-- E-mail addresses and mailing lists that receive a kind of notice, beside (or instead of) a bound conversation.
CREATE TABLE mail_bindings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL,
    stack TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    is_list INTEGER NOT NULL,
    bound_by TEXT NOT NULL,
    bound_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_mail_bindings ON mail_bindings (purpose, stack, lower(address));
