# shellcheck shell=bash
# A throw-away PostgreSQL server for development and tests. Source it (needs lib.sh).
#
#   pg_start DIR PORT   initdb DIR/data as the `postgres` user (initdb refuses root), trust auth on
#                       127.0.0.1 only, no durability (fsync off: test data only), start it on PORT
#                       and wait until it accepts connections. Log: DIR/postgres.log.
#   pg_stop DIR         fast shutdown (then SIGKILL if it hangs)
#   pg_connection_string PORT   the Npgsql connection string of the superuser

pg_connection_string() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres"; }

_pg_as_postgres() { (cd / && runuser -u postgres -- "$@"); }

pg_start() {
  local dir=$1 port=$2
  ensure_postgres_server
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown postgres:postgres "$dir"
  _pg_as_postgres test -w "$dir" || die "the postgres user cannot write $dir (is a parent folder closed to it?)"

  if [[ ! -f $dir/data/PG_VERSION ]]; then
    _pg_as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    cat >"$dir/data/pg_hba.conf" <<'EOF'
# trust, on the local socket and loopback only: a throw-away test server
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
    cat >>"$dir/data/postgresql.conf" <<EOF

# agentcluster test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
EOF
    # Tests want speed; a benchmark of durable appends (PG_DURABLE=1) wants real commits.
    if [[ ${PG_DURABLE:-0} != 1 ]]; then
      printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$dir/data/postgresql.conf"
    fi
    chown postgres:postgres "$dir/data/pg_hba.conf" "$dir/data/postgresql.conf"
  fi
  sed -i "/^port = /d" "$dir/data/postgresql.conf"
  echo "port = $port" >>"$dir/data/postgresql.conf"

  log "starting PostgreSQL on 127.0.0.1:$port (data $dir/data)"
  # setsid: a Ctrl-C in the terminal must not reach the server; the scripts stop it in order.
  if ! (cd / && setsid runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
    -w -t 60 start </dev/null >/dev/null 2>&1); then
    printf 'error: PostgreSQL did not start; the end of %s:\n' "$dir/postgres.log" >&2
    tail -n 30 "$dir/postgres.log" >&2
    return 1
  fi
  wait_for "PostgreSQL on port $port" 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres ||
    { tail -n 30 "$dir/postgres.log" >&2; return 1; }
}

pg_stop() {
  local dir=$1 pid
  [[ -f $dir/data/postmaster.pid ]] || return 0
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  log "stopping PostgreSQL (pid $pid)"
  _pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 && return 0
  warn "PostgreSQL did not stop in 30 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 1
}
