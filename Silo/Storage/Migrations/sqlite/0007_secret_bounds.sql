-- What a secret may be sent with (see the postgres script). Applied once: the migrator records it.

ALTER TABLE agentcluster_secrets ADD COLUMN methods TEXT NOT NULL DEFAULT '[]';
ALTER TABLE agentcluster_secrets ADD COLUMN allow_plain_http INTEGER NOT NULL DEFAULT 0;
