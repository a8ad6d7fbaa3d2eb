-- What a secret may be sent with (see the postgres script). SQLite has no ADD COLUMN IF NOT
-- EXISTS, so the table is rebuilt, which is safe to run again: the migrator applies it once and
-- records it; run by hand a second time it keeps every secret and resets only these two columns
-- to off and empty.

CREATE TABLE IF NOT EXISTS agentcluster_secrets_rebuild
(
    tenant           TEXT    NOT NULL,
    resource         TEXT    NOT NULL,
    hosts            TEXT    NOT NULL,
    actions          TEXT    NOT NULL,
    header           TEXT    NULL,
    format           TEXT    NULL,
    basic_user       TEXT    NULL,
    key_id           TEXT    NOT NULL,
    nonce            BLOB    NOT NULL,
    ciphertext       BLOB    NOT NULL,
    tag              BLOB    NOT NULL,
    updated_at_ms    INTEGER NOT NULL,
    methods          TEXT    NOT NULL DEFAULT '[]',
    allow_plain_http INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, resource)
) WITHOUT ROWID;

INSERT OR IGNORE INTO agentcluster_secrets_rebuild
    (tenant, resource, hosts, actions, header, format, basic_user, key_id, nonce, ciphertext, tag, updated_at_ms)
SELECT tenant, resource, hosts, actions, header, format, basic_user, key_id, nonce, ciphertext, tag, updated_at_ms
FROM agentcluster_secrets;

DROP TABLE agentcluster_secrets;
ALTER TABLE agentcluster_secrets_rebuild RENAME TO agentcluster_secrets;
