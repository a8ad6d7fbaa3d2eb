-- The vault: only ciphertext (AES-256-GCM) and metadata (see the postgres script).

CREATE TABLE IF NOT EXISTS agentcluster_secrets
(
    tenant        TEXT    NOT NULL,
    resource      TEXT    NOT NULL,
    hosts         TEXT    NOT NULL,
    actions       TEXT    NOT NULL,
    header        TEXT    NULL,
    format        TEXT    NULL,
    basic_user    TEXT    NULL,
    key_id        TEXT    NOT NULL,
    nonce         BLOB    NOT NULL,
    ciphertext    BLOB    NOT NULL,
    tag           BLOB    NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant, resource)
) WITHOUT ROWID;
