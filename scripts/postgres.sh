#!/usr/bin/env bash
# A PostgreSQL cluster of the clone's own, for tests and for trying Lajna on PostgreSQL:
# its data directory under .tmp/pg, its own port on 127.0.0.1, a superuser `lajna` with a
# password generated at initdb. Usage:
#   scripts/postgres.sh start     initialise if needed, start, print the admin URL
#   scripts/postgres.sh stop      stop it (fast shutdown; nothing to do when it is not running)
#   scripts/postgres.sh url       print the admin URL (postgres://lajna:…@127.0.0.1:PORT/postgres)
#   scripts/postgres.sh db NAME   create database NAME unless it exists, print its URL (for DATABASE_URL)
#   scripts/postgres.sh status    say whether it runs
#   scripts/postgres.sh destroy   stop it and delete its data
# Environment: LAJNA_PG_DIR (default .tmp/pg), LAJNA_PG_PORT (default 55432; the next free port
# is taken when that one is busy). Run as root, the server runs as the `postgres` user that
# Debian's package creates (PostgreSQL refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[postgres] $*" >&2; }

DIR=$(realpath -m "${LAJNA_PG_DIR:-.tmp/pg}")
DATA=$DIR/data
URL_FILE=$DIR/admin-url

if [[ $(id -u) -eq 0 ]]; then
	id postgres >/dev/null 2>&1 || { log "no 'postgres' user: install Debian's postgresql (scripts/system-deps.sh postgres)"; exit 1; }
	AS=(runuser -u postgres --)
else
	AS=()
fi

bindir() {
	if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		dirname "$(realpath "$(command -v pg_ctl)")"
		return
	fi
	# Debian keeps the server binaries out of PATH, one directory per major version.
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[[ -n "$d" && -x "$d/pg_ctl" ]] || { log "PostgreSQL server binaries not found: scripts/system-deps.sh postgres"; exit 1; }
	echo "$d"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [[ -f $DATA/postmaster.pid ]] && "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

init_cluster() {
	mkdir -p "$DIR"
	chmod 700 "$DIR"
	# The server's user must reach its data directory through every parent.
	if [[ ${#AS[@]} -gt 0 ]] && ! "${AS[@]}" test -x "$(dirname "$DIR")"; then
		log "the postgres user cannot reach $DIR; set LAJNA_PG_DIR to a directory it can reach"
		exit 1
	fi
	local password pwfile
	password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
	pwfile=$(mktemp)
	echo "$password" >"$pwfile"
	mkdir -p "$DATA"
	if [[ ${#AS[@]} -gt 0 ]]; then chown postgres: "$DIR" "$DATA" "$pwfile"; fi
	log "initialising $DATA"
	"${AS[@]}" "$BIN/initdb" -D "$DATA" -U lajna --pwfile="$pwfile" --auth=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; rm -f "$pwfile"; exit 1; }
	rm -f "$pwfile"
	# Only this machine, through TCP (no socket file in a shared directory); room for the
	# test servers of a parallel run, each with its pool and several nodes.
	cat >>"$DATA/postgresql.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		unix_socket_directories = ''
		max_connections = 300
		shared_buffers = 64MB
	EOF
	echo "$password" >"$DIR/password"
	chmod 600 "$DIR/password"
}

start() {
	[[ -f $DATA/PG_VERSION ]] || init_cluster
	if running; then
		url
		return
	fi
	local port=${LAJNA_PG_PORT:-55432}
	while port_busy "$port"; do port=$((port + 1)); done
	echo "$port" >"$DIR/port"
	"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -o "-p $port" -w -t 60 start >/dev/null ||
		{ tail -20 "$DATA/server.log" >&2; exit 1; }
	log "running on 127.0.0.1:$port (data $DATA)"
	url
}

stop() {
	[[ -f $DATA/PG_VERSION ]] || return 0
	running || return 0
	"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
	log "stopped"
}

url() {
	[[ -f $DIR/password && -f $DIR/port ]] || { log "not initialised: scripts/postgres.sh start"; exit 1; }
	echo "postgres://lajna:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/postgres"
}

database() {
	local name=${1:-}
	[[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { log "database name: lower-case letters, digits and _"; exit 2; }
	local admin exists
	admin=$(url)
	exists=$("$BIN/psql" "$admin" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")
	if [[ -z $exists ]]; then
		"$BIN/psql" "$admin" -qc "CREATE DATABASE $name" >&2
		log "created database $name"
	fi
	echo "${admin%/postgres}/$name"
}

BIN=$(bindir)
case "${1:-}" in
	start) start ;;
	stop) stop ;;
	url) url ;;
	db) database "${2:-}" ;;
	status) if running; then log "running on 127.0.0.1:$(cat "$DIR/port")"; else log "not running"; exit 3; fi ;;
	destroy) stop; rm -rf "$DIR"; log "removed $DIR" ;;
	*) echo "usage: $0 start|stop|url|db NAME|status|destroy" >&2; exit 2 ;;
esac
