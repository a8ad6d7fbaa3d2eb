-- The approval inbox: a tenant's pending approvals. One row per pending approval, so a burst of
-- them costs one small insert each rather than a rewrite of the whole list.

CREATE TABLE IF NOT EXISTS agentcluster_approval_inbox
(
    tenant        text   NOT NULL,
    approval_id   text   NOT NULL,
    session_id    text   NOT NULL,
    created_at_ms bigint NOT NULL,
    PRIMARY KEY (tenant, approval_id)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentcluster_silo') THEN
        GRANT SELECT, INSERT, DELETE ON agentcluster_approval_inbox TO agentcluster_silo;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot grant on agentcluster_approval_inbox (%): set it up by hand', SQLERRM;
END
$$;
