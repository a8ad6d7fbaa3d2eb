#!/usr/bin/env bash
# Audit append benchmark on a throw-away PostgreSQL: batched (group commit through the
# AuditLogGrain) against unbatched (one transaction per row), measured in the same run.
# usage: benchmarks/run-audit.sh [EVENTS]   (as root: PostgreSQL runs as the postgres user)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/postgres.sh

events=${1:-50000}
dir=$(mktemp -d /tmp/agentcluster-bench.XXXXXX)
port=$(free_port)
chmod 755 "$dir"   # PostgreSQL runs as the postgres user
trap 'pg_stop "$dir/pg" || true; rm -rf "$dir"' EXIT
PG_DURABLE=1 pg_start "$dir/pg" "$port"
deploy/cluster/make-certs.sh "$dir/certs"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
  audit --pg "$(pg_connection_string "$port")" --certs "$dir/certs" --events "$events"
