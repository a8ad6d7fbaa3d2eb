#!/usr/bin/env bash
# Computer benchmark on a Docker engine of its own with the desktop image, each figure against a
# baseline of the same run. Through the silo's channel (engine attach) on a container of its own:
# a 1280x800 screenshot against the same screenshot inside the container, an action's round trip
# against a bare channel round trip, and a cold desktop's create to first screenshot of a rendered
# page against its create+start. Then through the gRPC API of a silo process, on a desktop session:
# a screenshot against the same screenshot inside its container, and an action's round trip
# against a bare channel round trip to that container. That silo keeps a warm pool of POOL
# desktops: a desktop session's create to the first screenshot of a page through the API from the
# pool, against a cold one (COLD of each), the page a data: URL, and an HTTP page on loopback that
# the browser reaches through an egress proxy process; then DENSITY desktop sessions with a TTL of DENSITY_TTL
# seconds, all alive together, their idle memory from their cgroups, and how late each kill came.
# usage: benchmarks/run-computer.sh [SAMPLES] [COLD] [DENSITY] [DENSITY_TTL] [POOL]   (as root: it
#        starts dockerd; BENCH_DOCKER=unix:///…sock uses that engine instead)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/dockerd.sh

samples=${1:-200}
cold=${2:-10}
density=${3:-50}
density_ttl=${4:-240}
pool=${5:-2}
image=agentcluster/desktop:local
endpoint=${BENCH_DOCKER:-}
root=$(mktemp -d /tmp/agentcluster-bench-computer.XXXXXX)
silo=""
proxy=""
bridge=""
cleanup() {
  local rc=$?
  if [[ -n $proxy ]]; then
    kill "$proxy" 2>/dev/null || true
    wait "$proxy" 2>/dev/null || true
  fi
  if [[ -n $silo ]]; then
    kill "$silo" 2>/dev/null || true
    wait "$silo" 2>/dev/null || true
    # The silo's idle pool (host "local"), which it leaves paused at its stop, on a borrowed engine too.
    DOCKER_HOST=$endpoint docker ps -aq --filter label=agentcluster.pool=local | xargs -r env DOCKER_HOST="$endpoint" docker rm -f >/dev/null || true
  fi
  if ((rc != 0)) && [[ -f $root/silo.log ]]; then tail -30 "$root/silo.log" >&2; fi
  if ((rc != 0)) && [[ -f $root/proxy.log ]]; then tail -30 "$root/proxy.log" >&2; fi
  if [[ -n $bridge ]]; then deploy/host/sandbox-firewall.sh remove "$bridge" || true; fi
  if [[ -z ${BENCH_DOCKER:-} ]]; then
    dockerd_remove_sessions "$root/docker" || true
    dockerd_stop "$root/docker" || true
  fi
  rm -rf "$root"
}
trap cleanup EXIT
if [[ -z $endpoint ]]; then
  dockerd_start "bc$$" "$root/docker" "$(dockerd_free_pool 160 199)"
  endpoint=$DOCKERD_ENDPOINT
fi
deploy/sandbox/build-desktop-image.sh "$endpoint"
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
bench=benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll
dotnet "$bench" computer --docker "$endpoint" --image "$image" --samples "$samples" --cold "$cold"

# Only now a silo: its reconcile would kill the containers of the runs above, which no session claims.
# Its canary wants the engine behind a fleet host's firewall, and its own image, the sandbox's
# (./build.sh test's engines have both).
through_proxy=()
if [[ -z ${BENCH_DOCKER:-} ]]; then
  deploy/sandbox/build-local-image.sh "$endpoint"
  prepared=$(deploy/host/sandbox-firewall.sh prepare "$endpoint" 8443)
  bridge=${prepared%% *}
  gateway=${prepared#* }
  through_proxy=(--through-proxy 1)
  dotnet build Proxy -c Release -nologo -v q
else
  # A borrowed engine's sandbox firewall is its owner's: it lets the sandboxes reach its owner's
  # proxy port, not this script's, so the web start URL is measured on an engine of its own only.
  log "BENCH_DOCKER: no egress proxy of this run's, so no web start URL (an engine of its own measures it)"
fi
api=$(free_port)
gateway_port=$(free_port)
dotnet Silo/bin/Release/net10.0/AgentCluster.Silo.dll --AgentCluster:DataDir="$root/silo" \
  --AgentCluster:Docker:Endpoint="$endpoint" --AgentCluster:Ports:Api="$api" \
  --AgentCluster:Ports:Admin="$(free_port)" --AgentCluster:Ports:Silo="$(free_port)" \
  --AgentCluster:Ports:Gateway="$gateway_port" --AgentCluster:Fleet:DefaultCapacity="$((density + pool + 4))" \
  --AgentCluster:Fleet:WarmPool:Pools:0:Image="$image" --AgentCluster:Fleet:WarmPool:Pools:0:Size="$pool" >"$root/silo.log" 2>&1 &
silo=$!
wait_for "the silo's admin key" 120 test -s "$root/silo/admin.key" || { tail -20 "$root/silo.log" >&2; die "the silo did not start"; }
if ((${#through_proxy[@]})); then
  # The sessions' egress proxy where ./build.sh run puts it (the sandbox network's gateway, behind its
  # firewall), so that a web page's start URL goes the product's whole way: the benchmark's HTTP page
  # on loopback is the one upstream it may reach.
  dotnet Proxy/bin/Release/net10.0/AgentCluster.Proxy.dll --AgentCluster:DataDir="$root/silo" \
    --AgentCluster:ListenAddress="$gateway" --AgentCluster:Ports:Proxy=8443 --AgentCluster:Ports:Gateway="$gateway_port" \
    --AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8 >"$root/proxy.log" 2>&1 &
  proxy=$!
  wait_for "the egress proxy" 60 grep -q "egress proxy listening" "$root/proxy.log" || { tail -20 "$root/proxy.log" >&2; die "the proxy did not start"; }
fi
dotnet "$bench" computer-api --api "http://127.0.0.1:$api" --key-file "$root/silo/admin.key" \
  --docker "$endpoint" --image "$image" --samples "$samples" --starts "$cold" --density "$density" --density-ttl "$density_ttl" \
  --pool "$pool" "${through_proxy[@]}"
