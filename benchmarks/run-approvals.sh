#!/usr/bin/env bash
# Approval gate benchmark on a throw-away PostgreSQL (real commits) and one Docker engine:
# approvals created per second through a session's gate, and decision-to-waiter latency p50/p99,
# each against a baseline measured in the same run.
# usage: benchmarks/run-approvals.sh [APPROVALS] [DECISIONS]   (as root)
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-env.sh"
bench_cluster approvals --approvals "${1:-5000}" --decisions "${2:-1000}"
