#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster on 127.0.0.1.
# PG_URL names an empty database for the test suite, PG_MIGRATE_URL another for .ci/migrate-check.sh.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=${PGPORT:-55432}
PGROOT=$(mktemp -d)
mkdir -p "$PGROOT/sock"
chown -R postgres:postgres "$PGROOT"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT/sock -c fsync=off -c max_connections=200" start >/dev/null
stop() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null || true; rm -rf "$PGROOT"; }
trap stop EXIT
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres coursesite_test
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres coursesite_migrate
export PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/coursesite_test"
export PG_MIGRATE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/coursesite_migrate"
export PG_ADMIN_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
"$@"
