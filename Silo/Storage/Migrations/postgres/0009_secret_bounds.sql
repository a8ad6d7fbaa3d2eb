-- What a secret may be sent with: methods narrowing its grants' actions (JSON array, empty: no
-- narrowing) and whether it may leave in clear (plain http), off unless its owner opts in.

ALTER TABLE agentcluster_secrets ADD COLUMN IF NOT EXISTS methods text NOT NULL DEFAULT '[]';
ALTER TABLE agentcluster_secrets ADD COLUMN IF NOT EXISTS allow_plain_http boolean NOT NULL DEFAULT false;
