#!/usr/bin/env bash
# Egress proxy benchmark, in one run with one load generator (wrk) and one upstream (nginx on
# loopback): direct as the baseline, through AgentCluster's proxy with the stub swap, and through
# Debian's squid as a plain forward proxy. Reports p50/p90/p99 and requests per second.
# usage: benchmarks/run-egress.sh [CONNECTIONS] [SECONDS]   (as root; BENCH_DOCKER=unix:///…sock
#        uses a running engine with agentcluster/sandbox:local instead of starting one)
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$REPO"
source deploy/dev/lib.sh
source deploy/dev/dockerd.sh

connections=${1:-16}
seconds=${2:-10}
apt_install wrk nginx-light squid
dir=$(mktemp -d /tmp/agentcluster-bench.XXXXXX)
chmod 777 "$dir"   # squid drops to its own user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -z ${BENCH_DOCKER:-} ]]; then
    dockerd_remove_sessions "$dir/docker" || true
    dockerd_stop "$dir/docker" || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

if [[ -n ${BENCH_DOCKER:-} ]]; then
  docker_endpoint=$BENCH_DOCKER
else
  dockerd_start benche "$dir/docker" "$(dockerd_free_pool 211 250)"
  deploy/sandbox/build-local-image.sh "$DOCKERD_ENDPOINT"
  docker_endpoint=$DOCKERD_ENDPOINT
fi

upstream=$(free_port)
cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir; uwsgi_temp_path $dir; scgi_temp_path $dir;
  server { listen 127.0.0.1:$upstream; keepalive_requests 1000000; location / { return 200 "ok\n"; } }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" &
pids+=($!)

squid_port=$(free_port)
cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$squid_port
acl local src 127.0.0.1/32
http_access allow local
http_access deny all
cache deny all
cache_mem 8 MB
access_log none
cache_log $dir/squid-cache.log
pid_filename $dir/squid.pid
coredump_dir $dir
shutdown_lifetime 1 seconds
CONF
squid -N -f "$dir/squid.conf" &
pids+=($!)

dotnet build Proxy -c Release -nologo -v q
dotnet build benchmarks/AgentCluster.Benchmarks -c Release -nologo -v q
# Both answer before anything is measured: a squid still starting failed a warm-up in CI.
wait_for "nginx on 127.0.0.1:$upstream" 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$upstream" ||
  { tail -20 "$dir/nginx-error.log" >&2; die "nginx did not listen on 127.0.0.1:$upstream"; }
wait_for "squid on 127.0.0.1:$squid_port" 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$squid_port" ||
  { tail -20 "$dir/squid-cache.log" >&2; die "squid did not listen on 127.0.0.1:$squid_port"; }
dotnet benchmarks/AgentCluster.Benchmarks/bin/Release/net10.0/AgentCluster.Benchmarks.dll egress \
  --docker "$docker_endpoint" --proxy "$REPO/Proxy/bin/Release/net10.0/AgentCluster.Proxy.dll" \
  --upstream-port "$upstream" --squid-port "$squid_port" --connections "$connections" --seconds "$seconds"
