#!/bin/sh
# Daily relay backup: `truhe-relay backup` takes a consistent snapshot while clients write
# (SQLite online backup API); we copy it to three places and keep KEEP_DAYS days in each.
set -eu
: "${STATE:?}" "${LOCAL:?}" "${OFFSITE:?}" "${REMOTE:?}" "${KEEP_DAYS:=14}"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
snap="$LOCAL/$stamp"
mkdir -p "$LOCAL"
/usr/bin/node /opt/truhe/sync-server/bin/truhe-relay.js backup --data "$STATE" --out "$snap"
# 1. local copy (already written above)
# 2. second disk / Storage Box
mkdir -p "$OFFSITE" && cp -a "$snap" "$OFFSITE/"
# 3. another site
rsync -a --delete-after -e "ssh -o BatchMode=yes" "$snap" "$REMOTE/"
# Retention in the two places we can list locally; the remote side prunes with the same rule
# (find … -mtime +KEEP_DAYS -delete in its own cron), see README.
find "$LOCAL" "$OFFSITE" -mindepth 1 -maxdepth 1 -mtime +"$KEEP_DAYS" -exec rm -rf {} +
echo "truhe backup $stamp: 3 copies, keeping $KEEP_DAYS days"
