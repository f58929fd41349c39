#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1 for the tests, installing Debian's
# `postgresql` when it is missing, and print the SQLAlchemy URL of an empty test database.
# Used by `make test-postgres` when TEST_DATABASE_URL is not given.
set -euo pipefail
DB=${PORTAL_PG_DB:-portal_test}
ROLE=${PORTAL_PG_ROLE:-portal}
PASSWORD=${PORTAL_PG_PASSWORD:-portal}
PORT=${PORTAL_PG_PORT:-5432}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "PostgreSQL is not installed: run 'sudo apt-get install postgresql', or set TEST_DATABASE_URL" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

cluster=$(pg_lsclusters --no-header | awk -v port="$PORT" '$3 == port {print $1" "$2; exit}')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$version" portal --port "$PORT" >&2
  cluster="$version portal"
fi
read -r version name <<<"$cluster"
if ! pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $4}' | grep -q online; then
  pg_ctlcluster "$version" "$name" start >&2
fi

# Administration goes through the local socket as the postgres user (peer authentication);
# the tests connect over TCP on 127.0.0.1 with a password.
as_postgres() { runuser -u postgres -- "$@" </dev/null; }
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -p "$PORT" && break
  sleep 1
done
runuser -u postgres -- psql -q -p "$PORT" -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD' CREATEDB;
  END IF;
END \$\$;
SQL
as_postgres dropdb --if-exists -p "$PORT" "$DB" >&2
as_postgres createdb -p "$PORT" -O "$ROLE" "$DB" >&2
echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
