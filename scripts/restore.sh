#!/bin/sh
# Restore Ledsager's database from a backup file made by scripts/backup.sh.
#   scripts/restore.sh FILE [--yes]
# REPLACES every row of the database named by DATABASE_URL. Stop the app first (or put it in
# maintenance), restore, then run `flask audit-verify` and start the app again.
set -eu
cd "$(dirname "$0")/.."
FILE=${1:?usage: scripts/restore.sh FILE [--yes]}
shift
FLASK=${FLASK:-.venv/bin/flask}
"$FLASK" --app server restore "$FILE" "$@"
"$FLASK" --app server audit-verify
