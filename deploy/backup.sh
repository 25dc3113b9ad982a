#!/bin/sh
# Daily relay backup: `truhe-relay backup` takes a consistent snapshot while clients write
# (SQLite online backup API), without failed-login rows or the relay secret (R13), every file
# encrypted to the operator's public key $BACKUP_KEY (the secret key stays off this host). We copy
# it to three places and keep exactly KEEP_DAYS days in each (R5).
# Fails loudly: any error exits non-zero (systemd runs OnFailure= and leaves the unit failed), and
# $STATUS_DIR gets a Prometheus textfile (truhe_backup_last_success_timestamp_seconds /
# truhe_backup_last_failure_timestamp_seconds) for the node_exporter textfile collector.
set -eu
: "${STATE:?}" "${LOCAL:?}" "${OFFSITE:?}" "${OFFSITE_MOUNT:?}" "${REMOTE:?}" "${BACKUP_KEY:?}" "${KEEP_DAYS:=14}" "${STATUS_DIR:=/var/lib/truhe-relay-backup}"
mkdir -p "$STATUS_DIR"
metric() { # name value: atomically replace the textfile's line for `name`
  f="$STATUS_DIR/truhe_backup.prom"
  { grep -v "^$1 " "$f" 2>/dev/null || true; echo "$1 $2"; } > "$f.tmp" && mv "$f.tmp" "$f"
}
trap 'rc=$?; if [ "$rc" -ne 0 ]; then metric truhe_backup_last_failure_timestamp_seconds "$(date +%s)"; echo "truhe backup FAILED (exit $rc)" >&2; fi' EXIT

# A missing off-site mount must fail, not fill the local disk under the mount point.
mountpoint -q "$OFFSITE_MOUNT" || { echo "off-site storage not mounted at $OFFSITE_MOUNT" >&2; exit 1; }
[ -r "$BACKUP_KEY" ] || { echo "operator public key $BACKUP_KEY missing" >&2; exit 1; }

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
snap="$LOCAL/$stamp"
mkdir -p "$LOCAL"
/usr/bin/node /opt/truhe/sync-server/bin/truhe-relay.js backup --data "$STATE" --out "$snap" --key "$BACKUP_KEY"
# 1. local copy (already written above)
# 2. second disk / Storage Box
mkdir -p "$OFFSITE" && cp -a "$snap" "$OFFSITE/"
# 3. another site
rsync -a --delete-after -e "ssh -o BatchMode=yes" "$snap" "$REMOTE/"
# Retention: exactly KEEP_DAYS days (minutes, not find's rounded -mtime days) in the two places we
# can list locally; the remote side prunes with the same rule in its own cron (see README).
find "$LOCAL" "$OFFSITE" -mindepth 1 -maxdepth 1 -mmin +"$((KEEP_DAYS * 1440))" -exec rm -rf {} +
metric truhe_backup_last_success_timestamp_seconds "$(date +%s)"
rm -f /var/lib/truhe-relay-backup/FAILED
echo "truhe backup $stamp: 3 copies, encrypted, keeping $KEEP_DAYS days"
