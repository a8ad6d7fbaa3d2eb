-- The approval inbox: a tenant's pending approvals (see the postgres script).

CREATE TABLE IF NOT EXISTS agentcluster_approval_inbox
(
    tenant        TEXT    NOT NULL,
    approval_id   TEXT    NOT NULL,
    session_id    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (tenant, approval_id)
) WITHOUT ROWID;
