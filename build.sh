#!/usr/bin/env bash
# AgentCluster's one entry point: ./build.sh build | run | test  (see README.md)
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
cd "$REPO"
# shellcheck source=deploy/dev/lib.sh
source deploy/dev/lib.sh
# shellcheck source=deploy/dev/dockerd.sh
source deploy/dev/dockerd.sh
# shellcheck source=deploy/dev/postgres.sh
source deploy/dev/postgres.sh

# No build servers or MSBuild nodes may outlive the command (CI waits for every process).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

SANDBOX_IMAGE=agentcluster/sandbox:local
DESKTOP_IMAGE=agentcluster/desktop:local
RUN_POOLS=(160 199)             # ./build.sh run's own engine: a free pool from 10.160-10.199, per checkout
TEST_DOCKER_ENGINES=2           # ./build.sh test's fleet, with pools picked from 10.211-10.250

usage() {
  cat >&2 <<'EOF'
usage: ./build.sh COMMAND

  build   dotnet build (Release), then write the launchers bin/agentctl, bin/silo, bin/proxy
  run     build, then run one silo and one proxy on the embedded SQLite store (./data) with a
          local Docker engine, in the foreground; Ctrl-C (or SIGTERM) stops everything it started.
          `--no-build` runs what bin/ has; `--AgentCluster:…=value` switches go to the silo and the
          proxy (e.g. --AgentCluster:Ports:Api=6080 for a second checkout beside the first)
  test    build, then start a throw-away PostgreSQL and two Docker engines, run every test
          project, print "N passed, N failed" and tear everything down; extra arguments go to
          `dotnet test` (e.g. `./build.sh test --filter FullyQualifiedName~Approvals`)
EOF
}

# ---------------------------------------------------------------------------------------- build

# launcher NAME DLL: bin/NAME runs DLL (relative to the repo) with the arguments it is given.
launcher() {
  local name=$1 dll=$2
  [[ -f $REPO/$dll ]] || die "the build did not produce $dll"
  cat >"bin/$name" <<EOF
#!/usr/bin/env bash
# Written by ./build.sh build: runs this checkout's $name with the arguments given (for silo and
# proxy, e.g. --AgentCluster:Ports:Api=6080). Relative paths stay relative to the caller's folder.
set -euo pipefail
repo=\$(cd "\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")/.." && pwd)
dll=\$repo/$dll
if [[ ! -f \$dll ]]; then
  echo "$name: \$dll is missing: run ./build.sh build" >&2
  exit 1
fi
exec dotnet "\$dll" "\$@"
EOF
  chmod +x "bin/$name"
}

cmd_build() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
  local out attempt
  out=$(mktemp)
  for attempt in 1 2 3; do
    log "dotnet build AgentCluster.sln -c Release$( ((attempt > 1)) && echo " (attempt $attempt)")"
    if dotnet build AgentCluster.sln -c Release -nodeReuse:false \
      -p:UseSharedCompilation=false -p:UseRazorBuildServer=false 2>&1 | tee "$out"; then
      break
    fi
    # Another build of the same tree running at the same time: try again.
    if ((attempt < 3)) && grep -qE 'being used by another process|MSB3021|MSB3026|MSB3027|MSB4018|Access to the path .* is denied' "$out"; then
      warn "the build hit a file lock (another build running?): retrying in 15 s"
      sleep 15
      continue
    fi
    rm -f "$out"
    die "the build failed"
  done
  rm -f "$out"
  mkdir -p bin
  launcher agentctl Client/bin/Release/net10.0/agentctl.dll
  launcher silo Silo/bin/Release/net10.0/AgentCluster.Silo.dll
  launcher proxy Proxy/bin/Release/net10.0/AgentCluster.Proxy.dll
  log "launchers: bin/agentctl, bin/silo, bin/proxy"
  python_stubs
}

# python_stubs: the Python SDK's gRPC stubs, generated from Protos/ on every build (never committed,
# so never stale). Without protoc, its gRPC plugin and the well-known types' .proto files (Debian's
# libprotobuf-dev, only a recommendation of protobuf-compiler) only the Python SDK is left out.
python_stubs() {
  if [[ -x /usr/bin/python3 ]] && command -v protoc >/dev/null 2>&1 && command -v grpc_python_plugin >/dev/null 2>&1 \
    && [[ -f /usr/include/google/protobuf/timestamp.proto ]]; then
    /usr/bin/python3 clients/python/generate_stubs.py || die "generating the Python SDK's stubs failed"
  else
    warn "the Python SDK's stubs were not generated: apt-get install -y protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-protobuf"
  fi
}

# build_desktop_image DOCKER_HOST: the desktop image (Xvfb, Chromium, the computer server) on that
# engine, built when absent or out of date. The first build on a machine takes a few minutes (a
# Debian root file system and a Native AOT publish, both cached under ~/.cache/agentcluster).
build_desktop_image() {
  if ! DOCKER_HOST=$1 docker image inspect "$DESKTOP_IMAGE" >/dev/null 2>&1; then
    log "building $DESKTOP_IMAGE on $1 (the first build on a machine takes a few minutes)"
  fi
  local started=$SECONDS
  deploy/sandbox/build-desktop-image.sh "$1"
  log "$DESKTOP_IMAGE ready on $1 ($((SECONDS - started)) s)"
}

# ------------------------------------------------------------------------------------------ run

RUN_OWN_DOCKER=""      # ./data/docker when this run started the engine
RUN_PIDS=()
RUN_SWITCHES=()        # --AgentCluster:…=value, for the silo and the proxy
RUN_BUILD=1
declare -A RUN_PORTS=([Api]=5080 [Admin]=5081 [Proxy]=8443 [Silo]=11111 [Gateway]=30000)

# Everything a run starts for this checkout is named after it (engine, exec root, bridge; the pool
# is picked free), so that two checkouts side by side never share, stop or delete each other's.
RUN_ID=r$(printf '%s' "$REPO" | sha256sum | cut -c1-8)

# run_parse ARGS...: --no-build, and switches; the ports they (or AgentCluster__Ports__*) set.
run_parse() {
  local a key name
  for name in "${!RUN_PORTS[@]}"; do
    key=AgentCluster__Ports__$name
    if [[ -n ${!key:-} ]]; then RUN_PORTS[$name]=${!key}; fi
  done
  for a in "$@"; do
    case $a in
      --no-build) RUN_BUILD=0 ;;
      --AgentCluster:*=*)
        RUN_SWITCHES+=("$a")
        key=${a%%=*}
        if [[ $key =~ ^--AgentCluster:Ports:(Api|Admin|Proxy|Silo|Gateway)$ ]]; then RUN_PORTS[${BASH_REMATCH[1]}]=${a#*=}; fi
        ;;
      *) die "./build.sh run takes --no-build and --AgentCluster:…=value switches, not '$a'" ;;
    esac
  done
}

# A port in use means another run (of another checkout) is there: say which switch moves this one.
run_check_ports() {
  local name
  for name in Api Admin Proxy Silo Gateway; do
    if (exec 3<>"/dev/tcp/127.0.0.1/${RUN_PORTS[$name]}") 2>/dev/null; then
      die "port ${RUN_PORTS[$name]} (AgentCluster:Ports:$name) is in use, e.g. by the run of another checkout: give this one other ports, e.g. ./build.sh run --AgentCluster:Ports:$name=$((RUN_PORTS[$name] + 1000))"
    fi
  done
}

# One run per checkout: a second would stop the first one's engine, which only this checkout uses.
run_claim_checkout() {
  local pid
  pid=$(cat data/run.pid 2>/dev/null || true)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'build.sh run'; then
    die "this checkout's ./build.sh run is already running (pid $pid): stop it first, or run another checkout"
  fi
  echo $$ >data/run.pid
}

# The pool this checkout's engine had last time, while it is still free (its networks were made in
# it), else a free one. Never one held by anything else on this machine, and nothing is reclaimed.
# Reserved until this script exits: two checkouts started together pick before either engine is up
# and holds its pool's address, and they once picked the same one.
run_pool() {
  dockerd_reserve_pool "${RUN_POOLS[@]}" "$(_dockerd_state "$REPO/data/docker" POOL)"
}

# Sets RUN_DOCKER: an engine that answers, else one of this checkout's own (root only).
run_ensure_docker() {
  if command -v docker >/dev/null 2>&1; then
    if [[ -n ${DOCKER_HOST:-} ]] && docker version >/dev/null 2>&1; then
      RUN_DOCKER=$DOCKER_HOST
      log "using the Docker engine at DOCKER_HOST=$RUN_DOCKER"
      return 0
    fi
    if [[ -S /var/run/docker.sock ]] && docker -H unix:///var/run/docker.sock version >/dev/null 2>&1; then
      RUN_DOCKER=unix:///var/run/docker.sock
      log "using the Docker engine at $RUN_DOCKER"
      return 0
    fi
  fi
  if ! is_root; then
    cat >&2 <<EOF
error: no Docker engine answers: DOCKER_HOST is ${DOCKER_HOST:-not set} and /var/run/docker.sock does not answer \`docker version\`.
       ./build.sh run starts a Docker engine of its own only as root. Either run it as root, or
       start Docker (and make your user able to use it), or set DOCKER_HOST to a running engine.
EOF
    exit 1
  fi
  local pool previous
  previous=$(_dockerd_state "$REPO/data/docker" POOL)
  pool=$(run_pool) || die "each running checkout holds one of the pools 10.${RUN_POOLS[0]}-10.${RUN_POOLS[1]}: stop a run, or set DOCKER_HOST to an engine"
  dockerd_start "$RUN_ID" "$REPO/data/docker" "$pool"
  RUN_OWN_DOCKER=$REPO/data/docker
  RUN_DOCKER=$DOCKERD_ENDPOINT
  # Networks live on in the engine's data: made in another pool, they go, and the silo makes its network anew.
  if [[ -n $previous && $previous != "$pool" ]]; then DOCKER_HOST=$RUN_DOCKER docker network prune -f >/dev/null 2>&1 || true; fi
}

# run_proxy_address: where the proxy listens, the sandbox network's gateway: the one address a
# sandbox reaches on its host (the silo creates the network once it has checked the engine).
# 127.0.0.1, with a warning, when the network does not show up.
run_proxy_address() {
  local i gateway=""
  for ((i = 0; i < 60; i++)); do
    gateway=$(DOCKER_HOST=$RUN_DOCKER docker network inspect agentcluster-sandbox \
      -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null || true)
    if [[ -n $gateway ]]; then
      echo "$gateway"
      return 0
    fi
    sleep 0.5
  done
  warn "the sandbox network did not appear on $RUN_DOCKER: the proxy listens on 127.0.0.1, out of the sandboxes' reach"
  echo 127.0.0.1
}

# run_sandbox_firewall: the sandbox network, made before the silo looks for it, lets its sandboxes
# reach nothing of this host but the proxy (deploy/host/sandbox-firewall.sh, as root).
run_sandbox_firewall() {
  if is_root; then
    deploy/host/sandbox-firewall.sh prepare "$RUN_DOCKER" "${RUN_PORTS[Proxy]}" >/dev/null
  else
    warn "not root: the sandboxes of $RUN_DOCKER reach every port of this host, and the silo's canary marks it Unsafe"
    warn "should anything listen there; as root: deploy/host/sandbox-firewall.sh prepare $RUN_DOCKER ${RUN_PORTS[Proxy]}"
  fi
}

# run_default_tenant SILO_PID: the tenant a newcomer's first session uses, allowed the local
# sandbox and desktop images. One that exists already (an earlier run's, kept in ./data) is left as it is.
run_default_tenant() {
  local silo=$1 i rc=1 out=""
  for ((i = 0; i < 60 && rc != 0; i++)); do
    rc=0
    out=$(./bin/agentctl tenants create default --allow-image 'agentcluster/sandbox:*' \
      --allow-image 'agentcluster/desktop:*' --endpoint "http://127.0.0.1:${RUN_PORTS[Api]}" 2>&1) || rc=$?
    case $rc in
      0) log "created tenant default" ;;
      6) return 0 ;; # AlreadyExists
      # Unauthenticated, Unavailable: a moment after the port opens, the admin key or the API may not be there yet.
      3 | 7)
        kill -0 "$silo" 2>/dev/null || break
        sleep 0.5
        ;;
      *) break ;;
    esac
  done
  ((rc == 0)) || warn "could not create tenant default (agentctl exit code $rc): $out"
}

# stop_pid NAME PID SECONDS: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 secs=$3 i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 2; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  warn "$name did not stop in $secs s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops only what this run started: its silo and proxy, and its checkout's engine if it started it.
run_cleanup() {
  trap - INT TERM EXIT
  local i
  for ((i = ${#RUN_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${RUN_PIDS[i]%%:*}" "${RUN_PIDS[i]#*:}" 45
  done
  if [[ -n $RUN_OWN_DOCKER ]]; then dockerd_stop "$RUN_OWN_DOCKER"; fi
  if [[ $(cat "$REPO/data/run.pid" 2>/dev/null) == "$$" ]]; then rm -f "$REPO/data/run.pid"; fi
}

cmd_run() {
  run_parse "$@"
  if ((RUN_BUILD)); then
    cmd_build
  elif [[ ! -x bin/silo || ! -x bin/proxy || ! -x bin/agentctl ]]; then
    die "--no-build: bin/silo, bin/proxy or bin/agentctl is missing: run ./build.sh build first"
  fi
  mkdir -p data
  run_claim_checkout
  trap 'run_cleanup' EXIT
  trap 'echo >&2; log "stopping"; run_cleanup; exit 0' INT TERM
  run_check_ports
  run_ensure_docker
  deploy/sandbox/build-local-image.sh "$RUN_DOCKER"
  run_sandbox_firewall
  build_desktop_image "$RUN_DOCKER"

  local api=${RUN_PORTS[Api]} admin=${RUN_PORTS[Admin]} proxy_port=${RUN_PORTS[Proxy]}
  # The port the proxy listens on is the one written into sandboxes' HTTP_PROXY (a switch may say otherwise).
  ./bin/silo --AgentCluster:DataDir="$REPO/data" --AgentCluster:Docker:Endpoint="$RUN_DOCKER" \
    --AgentCluster:Fleet:ProxyPort="$proxy_port" "${RUN_SWITCHES[@]}" &
  RUN_PIDS+=("silo:$!")
  local silo=$!
  # The proxy joins the cluster as a client: start it once the silo serves.
  local i
  for ((i = 0; ; i++)); do
    kill -0 "$silo" 2>/dev/null || die "the silo exited during start-up (see its output above)"
    (exec 3<>"/dev/tcp/127.0.0.1/$admin") 2>/dev/null && break
    ((i < 240)) || die "the silo did not open its admin port $admin within 120 s"
    ((i % 10 == 0)) && log "waiting for the silo … ($((i / 2))s)"
    sleep 0.5
  done
  run_default_tenant "$silo"
  local proxy_address
  proxy_address=$(run_proxy_address)
  ./bin/proxy --AgentCluster:DataDir="$REPO/data" --AgentCluster:ListenAddress="$proxy_address" "${RUN_SWITCHES[@]}" &
  RUN_PIDS+=("proxy:$!")

  local endpoint_hint=""
  ((api == 5080)) || endpoint_hint="   (agentctl --endpoint http://127.0.0.1:$api, or AGENTCLUSTER_ENDPOINT)"
  cat >&2 <<EOF

AgentCluster is running (one silo, one proxy, SQLite under ./data, Docker at $RUN_DOCKER)
  gRPC API          http://127.0.0.1:$api$endpoint_hint
  admin console     http://127.0.0.1:$admin/   (sign in: any user name, an API key as password)
  health, metrics   http://127.0.0.1:$admin/healthz   http://127.0.0.1:$admin/metrics
  egress proxy      $proxy_address:$proxy_port   (the sandboxes' only way out)
  admin API key     ./data/admin.key   (bin/agentctl reads it by default)
  a first session   ./bin/agentctl session create --tenant default --image $SANDBOX_IMAGE --ttl 5m
Press Ctrl-C to stop.

EOF
  local rc=0
  wait -n "${RUN_PIDS[@]#*:}" || rc=$?
  warn "a process exited by itself (exit code $rc): stopping the rest"
  run_cleanup
  exit "$rc"
}

# ----------------------------------------------------------------------------------------- test

TEST_TMP=""
TEST_PG=""
TEST_ENGINES=()
TEST_BRIDGES=()   # the sandbox bridges whose firewall the run installed
TEST_SUMMARY=""   # printed last, after the teardown's own lines
TEST_LOG=""       # the console output of `dotnet test`, for the failures repeated at the end
TEST_RUNNER=""    # pid (and process group) of the running `dotnet test`

test_teardown() {
  local rc=$? root bridge
  trap - EXIT INT TERM
  if [[ -n $TEST_RUNNER ]] && kill -0 "$TEST_RUNNER" 2>/dev/null; then
    log "stopping the test run and every process it started"
    kill -TERM -- "-$TEST_RUNNER" 2>/dev/null || true
    sleep 5
    kill -KILL -- "-$TEST_RUNNER" 2>/dev/null || true
  fi
  log "tearing down the test environment"
  for bridge in "${TEST_BRIDGES[@]}"; do deploy/host/sandbox-firewall.sh remove "$bridge" || true; done
  for root in "${TEST_ENGINES[@]}"; do dockerd_remove_sessions "$root" || true; done
  for root in "${TEST_ENGINES[@]}"; do dockerd_stop "$root" || true; done
  if [[ -n $TEST_PG ]]; then
    pg_stop "$TEST_PG" || true
    rm -rf "$TEST_PG"
  fi
  # CI shows only the tail of a long log: the failures go there, right above the counts.
  if [[ -n $TEST_LOG && -f $TEST_LOG ]]; then test_failures "$TEST_LOG"; fi
  if [[ -n $TEST_TMP ]]; then rm -rf "$TEST_TMP"; fi
  if [[ -n $TEST_SUMMARY ]]; then echo "$TEST_SUMMARY"; fi
  exit "$rc"
}

# test_failures LOG: every "Failed" block of the console logger's output (name, message, the top
# of the stack), at most 40 lines each.
test_failures() {
  awk '
    /^[[:space:]]+Failed [^ ]/ { block = 1; n = 0; if (!shown++) print "==> failed tests"; }
    block && /^[[:space:]]+(Passed|Skipped) [^ ]|^\[xUnit\.net|^Results File:|^Test Run / { block = 0 }
    block && n++ < 40 { print }
  ' "$1"
}

# test_summary DIR: sums the counters of every .trx file under DIR into "passed failed".
test_summary() {
  local passed=0 failed=0 f c n k
  while IFS= read -r f; do
    c=$(grep -o '<Counters [^>]*>' "$f" | head -n 1) || continue
    n=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c"); passed=$((passed + ${n:-0}))
    for k in failed error timeout aborted; do
      n=$(sed -n "s/.* $k=\"\([0-9]*\)\".*/\1/p" <<<"$c"); failed=$((failed + ${n:-0}))
    done
  done < <(find "$1" -name '*.trx' 2>/dev/null)
  echo "$passed $failed"
}

cmd_test() {
  is_root || die "./build.sh test starts PostgreSQL and Docker engines of its own: run it as root"
  # The Python SDK's suites (run by the integration tests) need Debian's grpcio, protobuf, protoc (with
  # the well-known types' .proto files) and pytest.
  apt_install python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-pytest
  cmd_build
  ensure_docker_engine
  ensure_postgres_server
  # openssl: deploy/cluster/make-certs.sh makes the PostgreSQL clusters' TLS certificates.
  apt_install busybox-static publicsuffix openssl jq
  command -v chromium >/dev/null 2>&1 || apt_install chromium fonts-liberation

  TEST_TMP=$(mktemp -d /tmp/agentcluster-test.XXXXXX)
  TEST_PG=$(mktemp -d /tmp/agentcluster-pg.XXXXXX)
  trap test_teardown EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # The fleet: every engine has its own root, socket, bridge and address pool.
  local i hosts=() port
  for ((i = 1; i <= TEST_DOCKER_ENGINES; i++)); do
    TEST_ENGINES+=("$TEST_TMP/d$i")
    dockerd_start "t$$-$i" "$TEST_TMP/d$i" "$(dockerd_free_pool 211 250)"
    hosts+=("$DOCKERD_ENDPOINT")
  done
  for i in "${hosts[@]}"; do deploy/sandbox/build-local-image.sh "$i"; done
  # Each engine's sandbox network, made before any silo looks for it, behind the firewall a host
  # of the fleet has (the proxy's default port; a fixture with a proxy of its own installs its port).
  local prepared
  for i in "${hosts[@]}"; do
    prepared=$(deploy/host/sandbox-firewall.sh prepare "$i" 8443)
    TEST_BRIDGES+=("${prepared%% *}")
  done
  for i in "${hosts[@]}"; do build_desktop_image "$i"; done

  port=$(free_port)
  pg_start "$TEST_PG" "$port" || { port=$(free_port); pg_start "$TEST_PG" "$port"; }

  export AGENTCLUSTER_REPO=$REPO
  export AGENTCLUSTER_TEST_PG
  AGENTCLUSTER_TEST_PG=$(pg_connection_string "$port")
  export AGENTCLUSTER_TEST_PG_BIN=$PG_BIN
  export AGENTCLUSTER_TEST_DOCKER_HOSTS
  AGENTCLUSTER_TEST_DOCKER_HOSTS=$(IFS=,; echo "${hosts[*]}")
  export AGENTCLUSTER_TEST_IMAGE=$SANDBOX_IMAGE
  export AGENTCLUSTER_TEST_DESKTOP_IMAGE=$DESKTOP_IMAGE
  export AGENTCLUSTER_TEST_CHROMIUM
  AGENTCLUSTER_TEST_CHROMIUM=$(command -v chromium || true)
  log "AGENTCLUSTER_TEST_PG=$AGENTCLUSTER_TEST_PG"
  log "AGENTCLUSTER_TEST_DOCKER_HOSTS=$AGENTCLUSTER_TEST_DOCKER_HOSTS"

  local results=$REPO/TestResults rc=0
  rm -rf "$results"
  # One test project at a time: the integration tier times real processes on 2 cores. Each
  # writes a results file of its own name (two projects ending in the same second once shared a
  # timestamped name, and the count lost one); a project that writes none was interrupted or
  # crashed, and fails the run whatever its exit code says.
  # A test that hangs for 20 minutes fails its project instead of eating CI's 90.
  # In a process group of its own, so that an interrupted run takes its test hosts and the
  # silos and proxies they started down with it.
  TEST_LOG=$TEST_TMP/dotnet-test.log
  : >"$TEST_LOG"
  local project name
  for project in tests/*/; do
    name=$(basename "$project")
    grep -qs '<IsTestProject>true</IsTestProject>' "$project$name.csproj" || continue
    setsid dotnet test "$project$name.csproj" -c Release --no-build \
      --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --blame-hang-timeout 20m --blame-hang-dump-type none "$@" > >(tee -a "$TEST_LOG") 2>&1 &
    TEST_RUNNER=$!
    wait "$TEST_RUNNER" || rc=$?
    if kill -0 -- "-$TEST_RUNNER" 2>/dev/null; then
      warn "processes started by the tests outlived the test run: killing them"
      kill -KILL -- "-$TEST_RUNNER" 2>/dev/null || true
    fi
    TEST_RUNNER=""
    if [[ ! -f $results/$name.trx ]]; then
      warn "$name wrote no results: its run was interrupted or crashed"
      rc=1
    fi
  done

  local passed failed
  read -r passed failed < <(test_summary "$results")
  TEST_SUMMARY="$passed passed, $failed failed"
  if ((rc == 0 && failed > 0)); then rc=1; fi
  if ((passed + failed == 0)); then
    warn "no test ran"
    rc=1
  fi
  return "$rc"
}

case ${1:-} in
  build) cmd_build ;;
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  -h | --help | help) usage ;;
  *)
    usage
    exit 2
    ;;
esac
