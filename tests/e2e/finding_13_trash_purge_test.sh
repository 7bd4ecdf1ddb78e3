#!/usr/bin/env bash
# Security review, finding 13: the trash was never purged, so the space deleted files
# take only grew. kirokud now purges what has been in the trash longer than
# store.trashDays (30 by default) at start and every hour, and `kiroku trash purge`
# does it at once — with the versions and properties of what is purged.
source "$(dirname "$0")/lib.sh"
kiroku_start

count() { find "$1" -type f | wc -l; }
age() {  # age ID: make a trash entry look deleted in 2020
    python3 - "$KIROKU_DATA/meta.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("UPDATE trash SET deleted = '2020-04-01T09:00:00.000Z' WHERE id = ?", (int(sys.argv[2]),))
db.commit()
PY
}
trash_id() { kiroku_cli trash list | awk -v name="$1" 'index($0, name) {print $1; exit}'; }

for n in 1 2; do
    printf '名簿 第%s版\n' "$n" >"$KIROKU_TMP/v$n.txt"
    expect_eq "PUT version $n of old.txt" "$([[ $n == 1 ]] && echo 201 || echo 204)" \
        "$(status PUT /dav/old.txt -T "$KIROKU_TMP/v$n.txt")"
done
printf 'まだ要る\n' >"$KIROKU_TMP/new.txt"
expect_eq "PUT recent.txt" 201 "$(status PUT /dav/recent.txt -T "$KIROKU_TMP/new.txt")"
expect_eq "DELETE old.txt" 204 "$(status DELETE /dav/old.txt)"
expect_eq "DELETE recent.txt" 204 "$(status DELETE /dav/recent.txt)"
expect_eq "two files in trash/" 2 "$(count "$KIROKU_DATA/trash")"
expect_eq "one version kept" 1 "$(count "$KIROKU_DATA/versions")"

# Deleted long ago: the running server's next round (at its start) purges it.
kiroku_stop
age "$(trash_id old.txt)"
kiroku_launch
for _ in $(seq 100); do
    [[ "$(count "$KIROKU_DATA/trash")" == 1 ]] && break
    sleep 0.1
done
expect_eq "kirokud purged the entry deleted in 2020" 1 "$(count "$KIROKU_DATA/trash")"
expect_eq "and its version" 0 "$(count "$KIROKU_DATA/versions")"
kiroku_cli trash list | grep -q "old.txt" && fail "old.txt is still listed in the trash"
[[ -n "$(trash_id recent.txt)" ]] || fail "the recent deletion was purged too"
echo "ok - the recent deletion stays"
kiroku_cli audit --path old.txt | grep -q "purge" || fail "the purge is not in the audit log"
echo "ok - the purge is audited"

# At once, by the administrator.
out=$(kiroku_cli trash purge --older-than 30)
grep -q "purged 0 entries" <<<"$out" || fail "purge --older-than 30: $out"
echo "ok - nothing else is older than 30 days"
kiroku_cli trash purge 99999 >/dev/null 2>&1 && fail "purging an unknown ID succeeded"
echo "ok - an unknown ID is refused"
kiroku_cli trash purge "$(trash_id recent.txt)" | grep -q "purged /recent.txt" || fail "purge ID"
expect_eq "trash/ is empty" 0 "$(count "$KIROKU_DATA/trash")"
kiroku_cli check | grep -q "no problems found" || fail "check finds problems after purging"
echo "ok - check is clean"

# A trash that keeps things for ever.
printf 'x\n' >"$KIROKU_TMP/x.txt"
status PUT /dav/keep.txt -T "$KIROKU_TMP/x.txt" >/dev/null
status DELETE /dav/keep.txt >/dev/null
kiroku_stop
age "$(trash_id keep.txt)"
printf 'store.trashDays = 0\n' >>"$KIROKU_DATA/kiroku.properties"
kiroku_launch
sleep 1
[[ -n "$(trash_id keep.txt)" ]] || fail "store.trashDays = 0 purged all the same"
echo "ok - store.trashDays = 0 keeps the trash"
echo "all passed"
