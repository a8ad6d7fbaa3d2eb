#!/usr/bin/env bash
# Session benchmark on a throw-away Docker engine of its own: create-to-Ready cold and from the
# warm pool against raw docker create+start, deadline-to-gone kill latency, and N concurrent
# sessions that must all die on time, through an in-process silo, in one run.
# usage: benchmarks/run-sessions.sh [SAMPLES] [CONCURRENT] [CONCURRENT_TTL_SECONDS]   (as root: it starts dockerd)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/dockerd.sh

samples=${1:-40}
concurrent=${2:-200}
concurrent_ttl=${3:-120}
image=agentcluster/sandbox:local
root=$(mktemp -d /tmp/agentcluster-bench-docker.XXXXXX)
trap 'dockerd_remove_sessions "$root" || true; dockerd_stop "$root" || true; rm -rf "$root"' EXIT
dockerd_start "bs$$" "$root" "$(dockerd_free_pool 100 159)"
deploy/sandbox/build-local-image.sh "$DOCKERD_ENDPOINT"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
  sessions --docker "$DOCKERD_ENDPOINT" --image "$image" --samples "$samples" --concurrent "$concurrent" \
  --concurrent-ttl "$concurrent_ttl"
