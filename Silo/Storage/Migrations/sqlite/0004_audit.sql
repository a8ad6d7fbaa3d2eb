-- The audit log: one hash chain per tenant, append-only (see the postgres script for the why).

CREATE TABLE IF NOT EXISTS agentcluster_audit
(
    tenant    TEXT    NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq > 0),
    at_ms     INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    reason    TEXT    NOT NULL,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL,
    PRIMARY KEY (tenant, seq)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS agentcluster_audit_at ON agentcluster_audit (at_ms);

CREATE TRIGGER IF NOT EXISTS agentcluster_audit_no_update
    BEFORE UPDATE ON agentcluster_audit
BEGIN
    SELECT RAISE(ABORT, 'agentcluster_audit is append-only: UPDATE refused');
END;

CREATE TRIGGER IF NOT EXISTS agentcluster_audit_no_delete
    BEFORE DELETE ON agentcluster_audit
BEGIN
    SELECT RAISE(ABORT, 'agentcluster_audit is append-only: DELETE refused');
END;
