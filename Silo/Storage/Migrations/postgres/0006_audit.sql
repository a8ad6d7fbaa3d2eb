-- The audit log: one hash chain per tenant, append-only.
--
-- hash = SHA-256(prev_hash || canonical bytes of the row); the canonical form is defined in
-- Grains.Interfaces/Audit/AuditChain.cs, and `agentctl audit verify` recomputes it. The
-- primary key on (tenant, seq) is what keeps two writers from forking a chain: the loser of a
-- race gets a unique violation and re-reads the head.

CREATE TABLE IF NOT EXISTS agentcluster_audit
(
    tenant    text   NOT NULL,
    seq       bigint NOT NULL CHECK (seq > 0),
    at_ms     bigint NOT NULL,
    actor     text   NOT NULL,
    kind      text   NOT NULL,
    subject   text   NOT NULL,
    outcome   text   NOT NULL,
    reason    text   NOT NULL,
    detail    text   NOT NULL,
    prev_hash char(64) NOT NULL,
    hash      char(64) NOT NULL,
    PRIMARY KEY (tenant, seq)
);

CREATE INDEX IF NOT EXISTS agentcluster_audit_at ON agentcluster_audit (at_ms);

-- Refuses every change to a written row, whoever asks. A superuser can still switch triggers
-- off; that is what the hash chain and the external anchor are for.
CREATE OR REPLACE FUNCTION agentcluster_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agentcluster_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE TRIGGER agentcluster_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON agentcluster_audit
    FOR EACH ROW EXECUTE FUNCTION agentcluster_audit_append_only();

CREATE OR REPLACE TRIGGER agentcluster_audit_no_truncate
    BEFORE TRUNCATE ON agentcluster_audit
    FOR EACH STATEMENT EXECUTE FUNCTION agentcluster_audit_append_only();

-- The role a silo's login should be a member of: full use of the cluster's tables, but only
-- INSERT and SELECT on the audit log. Creating roles needs CREATEROLE; a migrating user
-- without it leaves role setup to the operator rather than failing the start-up.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentcluster_silo') THEN
        CREATE ROLE agentcluster_silo NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO agentcluster_silo', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO agentcluster_silo', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO agentcluster_silo', current_schema());
    REVOKE UPDATE, DELETE, TRUNCATE ON agentcluster_audit FROM agentcluster_silo;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot create or grant role agentcluster_silo (%): set it up by hand', SQLERRM;
END
$$;
