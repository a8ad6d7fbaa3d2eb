# shellcheck shell=bash
# Small helpers shared by build.sh, .ci/run and the other deploy/dev/*.sh files. Source it.

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# docker_host_argument SCRIPT [DOCKER_HOST]: an image script's optional argument, an endpoint such
# as unix:///path/docker.sock or a bare socket path, exported as DOCKER_HOST for the docker CLI.
docker_host_argument() {
  local script=$1
  shift
  if [[ $# -gt 1 || ${1:-} == -h || ${1:-} == --help ]]; then
    echo "usage: $script [DOCKER_HOST]" >&2
    exit 2
  fi
  if [[ -n ${1:-} ]]; then
    case $1 in
      *://*) export DOCKER_HOST=$1 ;;
      *) export DOCKER_HOST=unix://$1 ;;
    esac
  fi
}

# apt_install PKG... : install Debian packages that are not installed yet (root only; runs
# `apt-get update` once per process). Without root it names what is missing and fails.
_APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  is_root || die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})"
  if ((!_APT_UPDATED)); then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The PostgreSQL server binaries the scripts and tests use.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# ensure_postgres_server: PostgreSQL 15 server binaries and a `postgres` system user.
ensure_postgres_server() {
  if [[ ! -x $PG_BIN/initdb ]]; then
    # Do not let the package create and start a cluster of its own on port 5432.
    if is_root && [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
      mkdir -p /etc/postgresql-common
      echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
    fi
    apt_install postgresql-15
  fi
  if ! id -u postgres >/dev/null 2>&1; then
    is_root || die "there is no 'postgres' user and only root can create one"
    log "creating the postgres system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# ensure_docker_engine: dockerd, the docker CLI, iptables and ip.
ensure_docker_engine() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 &&
    command -v ip >/dev/null 2>&1 && return 0
  apt_install docker.io iptables iproute2
}

# free_port: print a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free TCP port found"
}

# wait_for DESCRIPTION SECONDS COMMAND... : run COMMAND once a second until it succeeds,
# printing a progress line every 5 s; fails after SECONDS.
wait_for() {
  local what=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    ((i % 5 == 0)) && log "waiting for $what … (${i}s)"
    sleep 1
  done
  "$@" >/dev/null 2>&1
}
