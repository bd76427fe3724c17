#!/usr/bin/env bash
# Restores an online backup made by POST /api/admin/backup. Stop the host (every node) first.
#   scripts/restore.sh data/backups/20270104-150000-000 [data] [documents]
# SQLite: the current databases and documents are kept aside in <data>/pre-restore-<time>/, then the backup's
# are copied in. PostgreSQL (the backup holds screening.dump): the database named by libpq's PGHOST, PGPORT,
# PGUSER, PGDATABASE (and PGPASSWORD) is restored with pg_restore --clean; make a dump of it first if you may
# want it back. Documents go to <data>/documents unless Screening:Documents:Path names another folder (pass it).
set -euo pipefail
backup="${1:?usage: scripts/restore.sh <backup-directory> [data-directory] [documents-directory]}"
data="${2:-data}"
documents="${3:-$data/documents}"
[ -f "$backup/screening.db" ] || [ -f "$backup/screening.dump" ] || { echo "restore: neither $backup/screening.db nor $backup/screening.dump found" >&2; exit 1; }
if pgrep -f "Screening.Web" >/dev/null 2>&1; then
  echo "restore: a Screening host seems to be running; stop it first" >&2
  exit 1
fi
aside="$data/pre-restore-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$aside"
if [ -f "$backup/screening.dump" ]; then
  if [ -z "${PGDATABASE:-}" ]; then
    echo "restore: set PGDATABASE, and PGHOST, PGPORT, PGUSER and PGPASSWORD, to the deployment's database" >&2
    exit 1
  fi
  pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$PGDATABASE" "$backup/screening.dump"
else
  for name in screening.db jobs.db; do
    for suffix in "" -wal -shm; do
      [ -f "$data/$name$suffix" ] && mv "$data/$name$suffix" "$aside/"
    done
    [ -f "$backup/$name" ] && cp "$backup/$name" "$data/$name"
  done
fi
# Documents are named by their SHA-256: the backup's folder is the store as it was.
[ -d "$documents" ] && mv "$documents" "$aside/documents"
if [ -d "$backup/documents" ]; then
  mkdir -p "$(dirname "$documents")"
  cp -R "$backup/documents" "$documents"
fi
echo "restore: restored $(ls "$backup" | tr '\n' ' ')into $data (previous files in $aside)"
echo "restore: start the host, then check GET /api/admin/consistency"
