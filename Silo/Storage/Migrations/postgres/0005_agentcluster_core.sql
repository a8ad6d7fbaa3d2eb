-- AgentCluster's own tables.
--
-- The migrator creates agentcluster_schema_version itself before it applies anything (it has
-- to record 0001 somewhere). It is declared here too, identically, so that an operator who
-- applies these scripts by hand ends up with the same schema; the silo then finds no version
-- rows, re-applies every script (they are idempotent) and records them.

CREATE TABLE IF NOT EXISTS agentcluster_schema_version
(
    version    integer     NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- Project tables (secrets, audit log, API keys, ...) go below this line until the first
-- release; after that, into new numbered scripts (0006_..., 0007_...), because a database
-- that has recorded version 5 will never run this file again.
