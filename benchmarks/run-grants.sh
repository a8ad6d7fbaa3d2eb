#!/usr/bin/env bash
# Credential broker benchmark on a throw-away PostgreSQL (real commits) and one Docker engine:
# grants minted per second with durable audit, and resolves per second from an Orleans client,
# each against a baseline measured in the same run.
# usage: benchmarks/run-grants.sh [GRANTS] [RESOLVES]   (as root)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/postgres.sh
source deploy/dev/dockerd.sh

grants=${1:-2000}
resolves=${2:-200000}
dir=$(mktemp -d /tmp/agentcluster-bench.XXXXXX)
chmod 755 "$dir"   # PostgreSQL runs as the postgres user
port=$(free_port)
trap 'dockerd_remove_sessions "$dir/docker" || true; dockerd_stop "$dir/docker" || true; pg_stop "$dir/pg" || true; rm -rf "$dir"' EXIT
PG_DURABLE=1 pg_start "$dir/pg" "$port"
dockerd_start benchg "$dir/docker" 10.241.0.0/16
deploy/sandbox/build-local-image.sh "$DOCKERD_ENDPOINT"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
  grants --pg "$(pg_connection_string "$port")" --docker "$DOCKERD_ENDPOINT" --grants "$grants" --resolves "$resolves"
