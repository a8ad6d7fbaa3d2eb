# shellcheck shell=bash
# What the cluster benchmarks share. Source it from a benchmarks/run-*.sh script (as root).
#
#   bench_cluster MODE [ARGS...]
#       Starts a throw-away PostgreSQL with real commits (fsync on) and one Docker engine of its
#       own with the local sandbox image, makes the cluster's TLS certificates, builds the
#       benchmark project, and runs `AgentCluster.Benchmarks MODE --pg CS --docker ENDPOINT
#       --certs DIR ARGS...`; tears both down after, whatever happens.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/postgres.sh
source deploy/dev/dockerd.sh

bench_cluster() {
  local mode=$1 dir port
  shift
  dir=$(mktemp -d /tmp/agentcluster-bench.XXXXXX)
  chmod 755 "$dir"   # PostgreSQL runs as the postgres user
  port=$(free_port)
  # shellcheck disable=SC2064 # expand now: the trap must clean up this run's folder
  trap "dockerd_remove_sessions '$dir/docker' || true; dockerd_stop '$dir/docker' || true; pg_stop '$dir/pg' || true; rm -rf '$dir'" EXIT
  PG_DURABLE=1 pg_start "$dir/pg" "$port"
  dockerd_start "bench${mode:0:1}" "$dir/docker" "$(dockerd_free_pool 200 210)"
  deploy/sandbox/build-local-image.sh "$DOCKERD_ENDPOINT"
  deploy/cluster/make-certs.sh "$dir/certs"
  dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
  dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll \
    "$mode" --pg "$(pg_connection_string "$port")" --docker "$DOCKERD_ENDPOINT" --certs "$dir/certs" "$@"
}
