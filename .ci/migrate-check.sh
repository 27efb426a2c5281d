#!/usr/bin/env bash
# Upgrade a database that holds data from the previous schema, then check models and migrations agree.
#
#   .ci/migrate-check.sh DATABASE_URL      (an empty database: sqlite:///... or postgresql+psycopg://...)
#
# 1. the demo is built at head in a scratch SQLite file (the current code writes it);
# 2. the target is upgraded to the previous head (the parents of the head revision), or left at base when
#    there is only one revision;
# 3. the demo rows are copied into the target's tables as they stand at that revision;
# 4. the target is upgraded to head (this is what fails on e.g. a NOT NULL column without a default);
# 5. the demo is loaded when the target is still empty (one revision), and `flask db check` must find
#    no difference between the models and the migrated schema.
# Works with one revision or many: nothing here names a revision.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_URL=${1:?usage: .ci/migrate-check.sh DATABASE_URL}
PY=.venv/bin/python
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export COURSESITE_INSTANCE_PATH="$SCRATCH/instance"
export PYTHONWARNINGS="ignore::DeprecationWarning"
flask_on() { COURSESITE_DATABASE_URL="$1" .venv/bin/flask --app wsgi "${@:2}"; }

echo "migrate-check: demo at head in a scratch database"
DEMO_URL="sqlite:///$SCRATCH/demo.sqlite3"
flask_on "$DEMO_URL" db upgrade >/dev/null
flask_on "$DEMO_URL" demo >/dev/null

PREVIOUS=$($PY .ci/migrate_data.py previous)
if [ -n "$PREVIOUS" ]; then
  for revision in $PREVIOUS; do
    echo "migrate-check: upgrade the target to the previous head $revision"
    flask_on "$TARGET_URL" db upgrade "$revision"
  done
  $PY .ci/migrate_data.py copy "$DEMO_URL" "$TARGET_URL"
else
  echo "migrate-check: one revision only; the target starts at base"
fi

echo "migrate-check: upgrade the target to head"
flask_on "$TARGET_URL" db upgrade
flask_on "$TARGET_URL" demo
echo "migrate-check: flask db check"
flask_on "$TARGET_URL" db check
$PY .ci/migrate_data.py count "$TARGET_URL"
