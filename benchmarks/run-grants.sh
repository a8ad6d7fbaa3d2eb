#!/usr/bin/env bash
# Credential broker benchmark on a throw-away PostgreSQL (real commits) and one Docker engine:
# grants minted per second with durable audit, and resolves per second from an Orleans client,
# each against a baseline measured in the same run.
# usage: benchmarks/run-grants.sh [GRANTS] [RESOLVES]   (as root)
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-env.sh"
bench_cluster grants --grants "${1:-2000}" --resolves "${2:-200000}"
