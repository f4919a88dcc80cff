#!/bin/sh
# Back up Ledsager's database to a dated file (run nightly from cron or a systemd timer).
#   scripts/backup.sh [DIRECTORY]          default directory: ./backups
# Uses DATABASE_URL like the app: SQLite -> online backup copy; PostgreSQL -> pg_dump -Fc.
# Keeps the last ${KEEP_DAYS:-35} days of backups. Backups hold special-category data: store
# them encrypted, on a host with the same access control as the database.
set -eu
cd "$(dirname "$0")/.."
DIR=${1:-backups}
FLASK=${FLASK:-.venv/bin/flask}
mkdir -p "$DIR"
chmod 700 "$DIR"
FILE="$DIR/ledsager-$(date -u +%Y%m%dT%H%M%SZ).backup"
umask 077
"$FLASK" --app server backup "$FILE"
find "$DIR" -name 'ledsager-*.backup' -mtime +"${KEEP_DAYS:-35}" -delete
echo "$FILE"
