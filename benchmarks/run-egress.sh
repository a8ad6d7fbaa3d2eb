#!/usr/bin/env bash
# Egress proxy benchmark: the same load generator and the same upstream on loopback, direct (the
# baseline), through this proxy with the stub-token swap, and through Debian's squid as a plain
# forward proxy, on a throw-away PostgreSQL and one Docker engine (the session's sandbox).
# usage: benchmarks/run-egress.sh [REQUESTS] [CONCURRENCY]   (as root)
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-env.sh"
apt_install squid
dotnet build Proxy -c Release -nologo -v q
bench_cluster egress --proxy "$REPO/Proxy/bin/Release/net10.0/AgentCluster.Proxy.dll" --squid "$(command -v squid || echo /usr/sbin/squid)" \
  --requests "${1:-20000}" --concurrency "${2:-16}"
