# shellcheck shell=bash
# Project-owned Docker engines for development and tests. Source it (needs lib.sh).
#
#   dockerd_start NAME ROOT POOL [extra dockerd flags...]
#       Starts a dockerd of its own, as root, and waits up to 30 s for its socket to answer.
#       ROOT/lib          data root (images, containers)
#       ROOT/docker.sock  the API socket (or /run/agentcluster/NAME.sock when ROOT's path is long)
#       ROOT/dockerd.log, ROOT/dockerd.pid, ROOT/daemon.json (empty: the host's daemon.json is ignored)
#       /run/agentcluster/NAME  exec root (kept short: unix socket paths are limited to 107 bytes)
#       POOL is the --default-address-pool base, e.g. 10.201.0.0/16 (carved into /24 networks).
#       Unless the flags name a --bridge, the engine's default bridge network uses a bridge of
#       its own, acb-NAME, created here (the engine takes its address from POOL), not docker0.
#       Several engines side by side (a fleet) need distinct NAME, ROOT and POOL.
#       Sets DOCKERD_ENDPOINT=unix://… on success.
#   dockerd_free_pool FIRST LAST    prints an unused pool 10.N.0.0/16, FIRST <= N <= LAST
#   dockerd_reserve_pool FIRST LAST [PREFERRED]  the same, PREFERRED first, nothing reclaimed
#   dockerd_pool_unused N           whether no route or address of this machine is in 10.N.0.0/16
#   dockerd_endpoint ROOT           prints the endpoint of the engine started with ROOT
#   dockerd_remove_sessions ROOT    removes every container labelled agentcluster.session, then
#                                   unused networks (so their bridges and firewall rules go too)
#   dockerd_stop ROOT               SIGTERM, wait, SIGKILL; kills what the engine left running,
#                                   unmounts everything left under its roots, deletes its bridge
#
# Facts about this kind of machine (Debian 12, docker.io 20.10, iptables 1.8 nf_tables), checked:
# - iptables works, so the engines run with their firewall rules (--iptables=true, the default);
#   only where iptables fails does dockerd_start fall back to --iptables=false, loudly.
# - A user-defined `--internal` network works: a container on it reaches addresses of the host
#   (any of them, through the INPUT chain) but nothing routed beyond it.
# - All engines share one network namespace and so one set of DOCKER-* chains. An engine that
#   starts flushes DOCKER-ISOLATION-STAGE-1/2, dropping the isolation rules of networks that
#   the other engines created before. Start every engine of a fleet first, then create networks.
# - An engine started with --bridge=none deletes the docker0 link, even when another engine
#   (or the machine's own Docker) uses it. Hence a bridge of its own per engine, never docker0.

DOCKERD_RUN_DIR=${DOCKERD_RUN_DIR:-/run/agentcluster}
DOCKERD_POOL_DIR=${DOCKERD_POOL_DIR:-$DOCKERD_RUN_DIR/pools}

_dockerd_state() { # ROOT KEY -> value recorded at start
  local f=$1/dockerd.state
  if [[ -f $f ]]; then sed -n "s/^$2=//p" "$f"; fi
}

# dockerd_free_pool FIRST LAST: print a 10.N.0.0/16 pool (FIRST <= N <= LAST) that no route or
# address on this machine touches yet, picked at random so that runs side by side do not collide.
# When every pool is held, the bridges that an engine which did not get to stop left behind are
# removed first (see _dockerd_reclaim_pools), and the pools looked at again.
# The pick is reserved for the calling script ($$) under a machine-wide lock until it exits: an
# engine takes its pool's address only once it is up, and two runs starting together would
# otherwise pick the same pool, and the first to stop would delete the other's bridges with its own.
dockerd_free_pool() {
  _dockerd_reserve "$1" "$2" "" reclaim
}

# dockerd_reserve_pool FIRST LAST [PREFERRED]: as dockerd_free_pool, under the same lock and with
# the same reservation, but PREFERRED (10.N.0.0/16) first while it is free, and nothing reclaimed:
# for ./build.sh run, whose engine keeps its networks in its pool from one run to the next.
dockerd_reserve_pool() {
  _dockerd_reserve "$1" "$2" "${3:-}" keep
}

_dockerd_reserve() { # FIRST LAST PREFERRED reclaim|keep
  local pool
  if mkdir -p "$DOCKERD_POOL_DIR" 2>/dev/null && [[ -w $DOCKERD_POOL_DIR ]]; then
    {
      pool=$(
        flock -w 60 9 || { warn "waited 60 s for the pool lock $DOCKERD_POOL_DIR/.lock"; exit 1; }
        _dockerd_pick_or_reclaim "$@" || exit 1
      ) || true
    } 9>"$DOCKERD_POOL_DIR/.lock"
  else
    pool=$(_dockerd_pick_or_reclaim "$@") || true
  fi
  [[ -n $pool ]] ||
    die "no free address pool 10.N.0.0/16 with N from $1 to $2 (held by links of this machine: ip -4 -o addr show, or reserved by a running script: $DOCKERD_POOL_DIR)"
  echo "$pool"
}

_dockerd_pick_or_reclaim() { # FIRST LAST PREFERRED reclaim|keep
  local pool=""
  if [[ $3 =~ ^10\.([0-9]+)\.0\.0/16$ ]] && dockerd_pool_unused "${BASH_REMATCH[1]}"; then
    pool=$3
  elif ! pool=$(_dockerd_pick_pool "$1" "$2"); then
    [[ $4 == reclaim ]] && _dockerd_reclaim_pools "$1" "$2" && pool=$(_dockerd_pick_pool "$1" "$2") || return 1
  fi
  [[ $pool =~ ^10\.([0-9]+)\. ]] && [[ -d $DOCKERD_POOL_DIR ]] && echo $$ >"$DOCKERD_POOL_DIR/${BASH_REMATCH[1]}" 2>/dev/null
  echo "$pool"
}

_dockerd_pick_pool() {
  local n
  for n in $(seq "$1" "$2" | shuf); do
    if dockerd_pool_unused "$n"; then
      echo "10.$n.0.0/16"
      return 0
    fi
  done
  return 1
}

# dockerd_pool_unused N: no route or address of this machine is in 10.N.0.0/16, and no live
# script holds a reservation for it.
dockerd_pool_unused() {
  ! _dockerd_pool_reserved "$1" &&
    ! { ip -4 route show table all 2>/dev/null; ip -4 -o addr show 2>/dev/null; } | grep -qE "(^|[^0-9])10\.$1\."
}

_dockerd_pool_reserved() {
  local pid
  pid=$(cat "$DOCKERD_POOL_DIR/$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# _dockerd_reclaim_pools FIRST LAST: removes each bridge with an address in 10.N (N in range)
# that nothing is plugged into and whose pool no running dockerd was started with: what an
# engine killed before dockerd_stop could run (a run cut short) leaves. Returns 1 if none.
_dockerd_reclaim_pools() {
  local claimed link addr n reclaimed=1 pid
  claimed=$(for pid in $(pgrep -x dockerd); do tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null; echo; done)
  while read -r link addr; do
    [[ $addr =~ ^10\.([0-9]+)\. ]] || continue
    n=${BASH_REMATCH[1]}
    ((n >= $1 && n <= $2)) || continue
    [[ $claimed != *"base=10.$n.0.0/16"* ]] || continue
    ! _dockerd_pool_reserved "$n" || continue
    [[ -z $(ip -o link show master "$link" 2>/dev/null) ]] || continue
    warn "removing bridge $link ($addr): no running engine has its pool and nothing uses it"
    _dockerd_remove_bridge "$link"
    reclaimed=0
  done < <(_dockerd_bridge_addresses)
  return "$reclaimed"
}

# Every IPv4 address of a bridge on this machine, as "LINK ADDRESS/PREFIX" lines.
# (`ip addr show type bridge` lists every link here, iproute2 6.1, so bridges are picked by link.)
_dockerd_bridge_addresses() {
  local link
  ip -o link show type bridge 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' |
    while IFS= read -r link; do ip -4 -o addr show dev "$link" 2>/dev/null | awk '{ print $2, $4 }'; done
}

_dockerd_remove_bridge() {
  ip link del "$1" >/dev/null 2>&1 || true
  _dockerd_drop_rules "$1"
}

dockerd_endpoint() { echo "unix://$(_dockerd_state "$1" SOCK)"; }

_dockerd_pid() { # ROOT -> pid of the running engine, if it is the one started with ROOT
  local pid
  pid=$(cat "$1/dockerd.pid" 2>/dev/null) || return 1
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-root $1/lib " || return 1
  echo "$pid"
}

_dockerd_iptables_flags() {
  if iptables -w 5 -t filter -S >/dev/null 2>&1 && iptables -w 5 -t nat -S >/dev/null 2>&1; then
    return 0
  fi
  warn "iptables does not work here: starting dockerd with --iptables=false --ip-masq=false;"
  warn "internal networks are then NOT firewalled from each other"
  echo "--iptables=false --ip-masq=false"
}

dockerd_start() {
  local name=$1 root=$2 pool=${3:-}
  [[ -n $name && -n $root && -n $pool ]] || die "usage: dockerd_start NAME ROOT POOL [dockerd flags...]"
  shift 3
  is_root || die "a Docker engine of the project's own needs root (dockerd); run as root or set DOCKER_HOST to a running engine"
  ensure_docker_engine
  mkdir -p "$root" "$DOCKERD_RUN_DIR"
  root=$(cd "$root" && pwd)
  local exec_root=$DOCKERD_RUN_DIR/$name sock=$root/docker.sock
  ((${#sock} <= 100)) || sock=$DOCKERD_RUN_DIR/$name.sock

  if _dockerd_pid "$root" >/dev/null; then
    log "a project dockerd from an earlier run still uses $root: stopping it first"
    dockerd_stop "$root"
  fi
  _dockerd_kill_leftovers "$root" "$exec_root"
  _dockerd_unmount_under "$root/lib" "$exec_root"
  rm -rf "$exec_root" "$root/dockerd.pid"
  rm -f "$sock"
  [[ -f $root/daemon.json ]] || echo '{}' >"$root/daemon.json"
  printf 'SOCK=%s\nEXEC_ROOT=%s\nNAME=%s\nPOOL=%s\n' "$sock" "$exec_root" "$name" "$pool" >"$root/dockerd.state"

  local flags bridge=""
  flags=$(_dockerd_iptables_flags)
  if [[ " $* " != *" --bridge"* && " $* " != *" -b "* ]]; then
    bridge=acb-$name
    ((${#bridge} <= 15)) || bridge=acb-$(printf '%s' "$name" | md5sum | cut -c1-11)
    ip link del "$bridge" >/dev/null 2>&1 || true
    { ip link add "$bridge" type bridge && ip link set "$bridge" up; } || die "could not create bridge $bridge"
    echo "BRIDGE=$bridge" >>"$root/dockerd.state"
    flags+=" --bridge=$bridge"
  fi
  log "starting dockerd $name (data $root/lib, socket $sock, pool $pool${flags:+,$flags}${*:+ $*})"
  # Engines share the machine's DOCKER-* chains, and each one rewrites them while it starts
  # (iptables checks a rule, then deletes it: two engines starting together can each delete what
  # the other just checked). One engine starts at a time on this machine, across scripts.
  local rc=0
  if [[ -w $DOCKERD_RUN_DIR ]]; then
    {
      if ! flock -n 8; then
        log "waiting for another engine on this machine to finish starting …"
        flock -w 150 8 || warn "waited 150 s for $DOCKERD_RUN_DIR/.start.lock: starting anyway"
      fi
      _dockerd_launch "$name" "$root" "$exec_root" "$sock" "$flags" "$@" || rc=$?
    } 8>"$DOCKERD_RUN_DIR/.start.lock"
  else
    _dockerd_launch "$name" "$root" "$exec_root" "$sock" "$flags" "$@" || rc=$?
  fi
  return "$rc"
}

# _dockerd_launch NAME ROOT EXEC_ROOT SOCK FLAGS [dockerd flags...]: start, wait for the socket.
_dockerd_launch() {
  local name=$1 root=$2 exec_root=$3 sock=$4 flags=$5
  shift 5
  local attempt pid i
  for attempt in 1 2 3; do
    # setsid: a Ctrl-C in the terminal must not reach the engine; the scripts stop it in order.
    # shellcheck disable=SC2086
    setsid dockerd \
      --config-file "$root/daemon.json" \
      --data-root "$root/lib" \
      --exec-root "$exec_root" \
      --pidfile "$root/dockerd.pid" \
      -H "unix://$sock" \
      --default-address-pool "base=$pool,size=24" \
      --shutdown-timeout 5 \
      $flags "$@" </dev/null >>"$root/dockerd.log" 2>&1 8>&- &
    pid=$!
    for ((i = 0; i < 30; i++)); do
      if docker -H "unix://$sock" version >/dev/null 2>&1; then
        DOCKERD_ENDPOINT=unix://$sock
        export DOCKERD_ENDPOINT
        log "dockerd $name is up: $DOCKERD_ENDPOINT"
        return 0
      fi
      if ! kill -0 "$pid" 2>/dev/null; then
        # The start lock keeps this project's engines apart, but an engine that makes or drops a
        # network (or one not started here) still rewrites the shared chains: a start can lose
        # iptables' check-then-change race (a chain made twice, a rule gone between its check and
        # its deletion). A start that failed on iptables, and only that, is worth another try.
        if ((attempt < 3)) && tail -n 5 "$root/dockerd.log" | grep -qE 'failed to start daemon:.*iptables failed|iptables.*(Chain already exists|No chain/target/match by that name)'; then
          warn "dockerd $name lost a race for the shared iptables chains with another engine: starting it again"
          _dockerd_kill_leftovers "$root" "$exec_root"
          rm -f "$sock"
          sleep 2
          continue 2
        fi
        printf 'error: dockerd %s exited during start-up; the end of %s:\n' "$name" "$root/dockerd.log" >&2
        tail -n 30 "$root/dockerd.log" >&2
        return 1
      fi
      ((i % 5 == 0)) && log "waiting for dockerd $name … (${i}s)"
      sleep 1
    done
    break
  done
  printf 'error: dockerd %s did not answer on %s within 30 s; the end of %s:\n' "$name" "$sock" "$root/dockerd.log" >&2
  tail -n 30 "$root/dockerd.log" >&2
  dockerd_stop "$root"
  return 1
}

dockerd_remove_sessions() {
  local root=$1 ep ids
  [[ -d $root ]] && root=$(cd "$root" && pwd)
  ep=$(dockerd_endpoint "$root")
  docker -H "$ep" version >/dev/null 2>&1 || return 0
  ids=$(docker -H "$ep" ps -aq --filter label=agentcluster.session 2>/dev/null || true)
  if [[ -n $ids ]]; then
    log "removing $(wc -w <<<"$ids") sandbox container(s) on $ep"
    # shellcheck disable=SC2086
    docker -H "$ep" rm -f $ids >/dev/null 2>&1 || warn "could not remove every container on $ep"
  fi
  docker -H "$ep" network prune -f >/dev/null 2>&1 || true
}

dockerd_stop() {
  local root=$1 pid i exec_root
  [[ -d $root ]] && root=$(cd "$root" && pwd)
  exec_root=$(_dockerd_state "$root" EXEC_ROOT)
  if pid=$(_dockerd_pid "$root"); then
    log "stopping dockerd $(_dockerd_state "$root" NAME) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      ((i > 0 && i % 5 == 0)) && log "waiting for dockerd $(_dockerd_state "$root" NAME) to exit … (${i}s)"
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      warn "dockerd $pid did not exit in 30 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
    fi
  fi
  _dockerd_kill_leftovers "$root" "${exec_root:-/nonexistent}"
  if [[ -n $exec_root ]]; then
    _dockerd_unmount_under "$exec_root"
    rm -rf "$exec_root"
  fi
  _dockerd_unmount_under "$root/lib"
  local sock bridge
  sock=$(_dockerd_state "$root" SOCK)
  if [[ -n $sock ]]; then rm -f "$sock"; fi
  bridge=$(_dockerd_state "$root" BRIDGE)
  if [[ -n $bridge ]]; then _dockerd_remove_bridge "$bridge"; fi
  _dockerd_drop_pool_bridges "$(_dockerd_state "$root" POOL)"
  rm -f "$root/dockerd.pid"
}

# An engine keeps the bridges of its networks when it stops (networks outlive a restart), and a
# killed one cannot remove them; left behind, they hold their pool and runs pile them up until
# no pool is free. The pool was free when the engine started, so every bridge in it is its own.
_dockerd_drop_pool_bridges() {
  local link addr prefix
  [[ $1 =~ ^(10\.[0-9]+\.)0\.0/16$ ]] || return 0
  prefix=${BASH_REMATCH[1]}
  while read -r link addr; do
    if [[ $addr == "$prefix"* ]]; then _dockerd_remove_bridge "$link"; fi
  done < <(_dockerd_bridge_addresses)
}

# dockerd leaves the firewall rules of its default bridge behind when it stops; drop them so
# that runs do not pile rules up.
_dockerd_drop_rules() {
  local bridge=$1 table rule
  local -a words
  command -v iptables >/dev/null 2>&1 || return 0
  for table in filter nat; do
    while IFS= read -r rule; do
      read -ra words <<<"${rule/#-A /-D }"
      iptables -w 5 -t "$table" "${words[@]}" 2>/dev/null || true
    done < <(iptables -w 5 -t "$table" -S 2>/dev/null | grep -E "^-A .* $bridge( |$)" || true)
  done
  # A sandbox bridge's own chain (deploy/host/sandbox-firewall.sh): its jump went above.
  if iptables -w 5 -S "AC-SANDBOX-$bridge" >/dev/null 2>&1; then
    iptables -w 5 -F "AC-SANDBOX-$bridge" 2>/dev/null || true
    iptables -w 5 -X "AC-SANDBOX-$bridge" 2>/dev/null || true
  fi
}

# What a killed engine can leave behind: its containerd, the shims, and the containers
# themselves (found through runc's state and, should that be gone, through their cgroups).
_dockerd_kill_leftovers() { # ROOT EXEC_ROOT
  local root=$1 exec_root=$2 runc_root=$2/runtime-runc/moby id p d cgroups=() i
  if [[ -d $runc_root ]] && command -v runc >/dev/null 2>&1; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" kill --all "$id" KILL >/dev/null 2>&1 || true
      runc --root "$runc_root" delete --force "$id" >/dev/null 2>&1 || true
    done
  fi
  for d in "$root"/lib/containers/*/; do
    id=$(basename "$d")
    [[ ${#id} -eq 64 ]] || continue
    for p in /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" /sys/fs/cgroup/system.slice/docker-"$id".scope; do
      [[ -d $p ]] && cgroups+=("$p")
    done
  done
  for p in "${cgroups[@]}"; do
    while read -r id; do kill -KILL "$id" 2>/dev/null || true; done <"$p/cgroup.procs" 2>/dev/null || true
  done
  for p in /proc/[0-9]*; do
    [[ -r $p/cmdline ]] || continue
    if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q -- "$exec_root/containerd/"; then
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 5 && ${#cgroups[@]}; i++)); do
    sleep 0.2
    for p in "${!cgroups[@]}"; do
      rmdir "${cgroups[p]}" 2>/dev/null && unset "cgroups[p]"
    done
  done
  return 0
}

_dockerd_unmount_under() { # DIR... : unmount every mount at or below each DIR, deepest first
  local d m
  for d in "$@"; do
    [[ -n $d ]] || continue
    while IFS= read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "could not unmount $m"
    done < <(findmnt -rn -o TARGET | while IFS= read -r m; do
      m=$(printf '%b' "$m")
      if [[ $m == "$d" || $m == "$d"/* ]]; then echo "$m"; fi
    done | sort -r)
  done
}
