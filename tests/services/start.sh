#!/usr/bin/env bash
# Install (from Debian packages, only where missing) and start the database servers that the
# lookup tests connect to: PostgreSQL, MariaDB and Redis, each bound to 127.0.0.1 on the port in
# services.env, each with a superuser, a database owner and a read-only role. Idempotent: a
# server already answering is left running, roles are created or their passwords reset.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
source "$here/services.env"
dir="${TOKENREACH_SERVICES_DIR:-$SERVICES_DIR}"
mkdir -p "$dir"
chmod 755 "$dir"

say() { echo "services: $*" >&2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # port seconds
    for _ in $(seq 1 "$(( $2 * 10 ))"); do
        listening "$1" && return 0
        sleep 0.1
    done
    return 1
}

need=()
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ "${#need[@]}" -gt 0 ]; then
    say "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL ----------------------------------------------------------------------------------
pgbin="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
pgdata="$dir/pg"
pgsock="$dir/pgsock"
as_pg() { runuser -u postgres -- "$@"; }
if ! listening "$PG_PORT"; then
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        mkdir -p "$pgdata" "$pgsock"
        chown postgres:postgres "$pgdata" "$pgsock"
        as_pg "$pgbin/initdb" -D "$pgdata" -U postgres --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    fi
    chown postgres:postgres "$pgsock"
    as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $pgsock -c listen_addresses=127.0.0.1" start >/dev/null
fi
psql_super() { as_pg env PGOPTIONS="-c client_min_messages=warning" "$pgbin/psql" -h "$pgsock" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_super -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$SUPER_USER') THEN CREATE ROLE $SUPER_USER; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER_USER') THEN CREATE ROLE $OWNER_USER; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$READER_USER') THEN CREATE ROLE $READER_USER; END IF;
END \$\$;
ALTER ROLE $SUPER_USER WITH LOGIN SUPERUSER PASSWORD '$SUPER_PASSWORD';
ALTER ROLE $OWNER_USER WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '$OWNER_PASSWORD';
ALTER ROLE $READER_USER WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '$READER_PASSWORD';
SQL
if [ -z "$(psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$APP_DB'")" ]; then
    psql_super -d postgres -c "CREATE DATABASE $APP_DB OWNER $OWNER_USER"
fi
psql_super -d "$APP_DB" <<SQL
SET ROLE $OWNER_USER;
CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, item text NOT NULL);
CREATE TABLE IF NOT EXISTS customers (id serial PRIMARY KEY, email text NOT NULL);
GRANT CONNECT ON DATABASE $APP_DB TO $READER_USER;
GRANT USAGE ON SCHEMA public TO $READER_USER;
GRANT SELECT ON orders, customers TO $READER_USER;
SQL
say "postgresql on 127.0.0.1:$PG_PORT"

# MariaDB -------------------------------------------------------------------------------------
mdata="$dir/mariadb"
mrun="$dir/mariadb-run"  # socket, pid and log: the server runs as mysql and writes them
msock="$mrun/mariadb.sock"
if ! listening "$MARIADB_PORT"; then
    if [ ! -d "$mdata/mysql" ]; then
        mkdir -p "$mdata"
        chown mysql:mysql "$mdata"
        mariadb-install-db --user=mysql --datadir="$mdata" --auth-root-authentication-method=socket \
            --skip-test-db >/dev/null
    fi
    mkdir -p "$mrun"
    chown mysql:mysql "$mrun"
    setsid mariadbd --no-defaults --user=mysql --datadir="$mdata" --socket="$msock" --port="$MARIADB_PORT" \
        --bind-address=127.0.0.1 --pid-file="$mrun/mariadb.pid" --log-error="$mrun/mariadb.log" \
        --skip-name-resolve </dev/null >/dev/null 2>&1 &
    wait_for "$MARIADB_PORT" 60 || { say "mariadb did not start:"; tail -20 "$mrun/mariadb.log" >&2 || true; exit 1; }
fi
for _ in $(seq 1 100); do [ -S "$msock" ] && break; sleep 0.1; done
mariadb --no-defaults -S "$msock" -u root <<SQL
CREATE DATABASE IF NOT EXISTS $APP_DB;
CREATE TABLE IF NOT EXISTS $APP_DB.orders (id INT AUTO_INCREMENT PRIMARY KEY, item TEXT NOT NULL);
CREATE USER IF NOT EXISTS '$SUPER_USER'@'%';
CREATE USER IF NOT EXISTS '$OWNER_USER'@'%';
CREATE USER IF NOT EXISTS '$READER_USER'@'%';
ALTER USER '$SUPER_USER'@'%' IDENTIFIED BY '$SUPER_PASSWORD';
ALTER USER '$OWNER_USER'@'%' IDENTIFIED BY '$OWNER_PASSWORD';
ALTER USER '$READER_USER'@'%' IDENTIFIED BY '$READER_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$SUPER_USER'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON $APP_DB.* TO '$OWNER_USER'@'%';
GRANT SELECT ON $APP_DB.* TO '$READER_USER'@'%';
FLUSH PRIVILEGES;
SQL
say "mariadb on 127.0.0.1:$MARIADB_PORT"

# Redis ---------------------------------------------------------------------------------------
rconf="$dir/redis.conf"
cat >"$rconf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
save ""
appendonly no
user default off
user $SUPER_USER on >$SUPER_PASSWORD ~* &* +@all
user $OWNER_USER on >$OWNER_PASSWORD ~app:* &* +@all -@dangerous
user $READER_USER on >$READER_PASSWORD ~app:* +@read
CONF
if ! listening "$REDIS_PORT"; then
    redis-server "$rconf"
    wait_for "$REDIS_PORT" 30 || { say "redis did not start:"; tail -20 "$dir/redis.log" >&2 || true; exit 1; }
fi
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --user "$SUPER_USER" --pass "$SUPER_PASSWORD" --no-auth-warning "$@"; }
# A server started by an earlier run keeps its users: set them again, as the file says.
rcli ACL SETUSER "$OWNER_USER" reset on ">$OWNER_PASSWORD" '~app:*' '&*' +@all -@dangerous >/dev/null
rcli ACL SETUSER "$READER_USER" reset on ">$READER_PASSWORD" '~app:*' +@read >/dev/null
rcli SET app:orders 3 >/dev/null
say "redis on 127.0.0.1:$REDIS_PORT"
