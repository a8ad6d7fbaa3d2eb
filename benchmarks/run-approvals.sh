#!/usr/bin/env bash
# Approval gate benchmark on a throw-away PostgreSQL (real commits) and one Docker engine:
# approvals created per second, and decision-to-waiter latency p50/p99,
# each against a baseline measured in the same run.
# usage: benchmarks/run-approvals.sh [APPROVALS] [DECISIONS]   (as root)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/postgres.sh
source deploy/dev/dockerd.sh

approvals=${1:-5000}
decisions=${2:-1000}
dir=$(mktemp -d /tmp/agentcluster-bench.XXXXXX)
chmod 755 "$dir"   # PostgreSQL runs as the postgres user
port=$(free_port)
trap 'dockerd_remove_sessions "$dir/docker" || true; dockerd_stop "$dir/docker" || true; pg_stop "$dir/pg" || true; rm -rf "$dir"' EXIT
PG_DURABLE=1 pg_start "$dir/pg" "$port"
dockerd_start bencha "$dir/docker" 10.242.0.0/16
deploy/sandbox/build-local-image.sh "$DOCKERD_ENDPOINT"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
  approvals --pg "$(pg_connection_string "$port")" --docker "$DOCKERD_ENDPOINT" --approvals "$approvals" --decisions "$decisions"
