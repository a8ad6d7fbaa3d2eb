#!/usr/bin/env bash
# Computer benchmark on a Docker engine of its own with the desktop image: a 1280x800 screenshot
# through the silo's channel against the same screenshot inside the container, an action's round
# trip against a bare channel round trip, and a cold desktop's create to first screenshot of a
# rendered page against its create+start, in one run.
# usage: benchmarks/run-computer.sh [SAMPLES] [COLD]   (as root: it starts dockerd;
#        BENCH_DOCKER=unix:///…sock uses that engine instead)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/dockerd.sh

samples=${1:-200}
cold=${2:-10}
image=agentcluster/desktop:local
endpoint=${BENCH_DOCKER:-}
if [[ -z $endpoint ]]; then
  root=$(mktemp -d /tmp/agentcluster-bench-docker.XXXXXX)
  # shellcheck disable=SC2064 # expand now: the trap must clean up this run's engine
  trap "dockerd_remove_sessions '$root' || true; dockerd_stop '$root' || true; rm -rf '$root'" EXIT
  dockerd_start "bc$$" "$root" "$(dockerd_free_pool 160 199)"
  endpoint=$DOCKERD_ENDPOINT
fi
deploy/sandbox/build-desktop-image.sh "$endpoint"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
  computer --docker "$endpoint" --image "$image" --samples "$samples" --cold "$cold"
