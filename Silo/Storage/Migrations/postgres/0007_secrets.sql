-- The vault: only ciphertext (AES-256-GCM) and metadata. key_id names the key a row is sealed
-- with, so keys can rotate: `agentctl secrets rotate-key` re-seals rows under the active key.

CREATE TABLE IF NOT EXISTS agentcluster_secrets
(
    tenant        text   NOT NULL,
    resource      text   NOT NULL,
    hosts         text   NOT NULL,
    actions       text   NOT NULL,
    header        text   NULL,
    format        text   NULL,
    basic_user    text   NULL,
    key_id        text   NOT NULL,
    nonce         bytea  NOT NULL,
    ciphertext    bytea  NOT NULL,
    tag           bytea  NOT NULL,
    updated_at_ms bigint NOT NULL,
    PRIMARY KEY (tenant, resource)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentcluster_silo') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON agentcluster_secrets TO agentcluster_silo;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot grant on agentcluster_secrets (%): set it up by hand', SQLERRM;
END
$$;
