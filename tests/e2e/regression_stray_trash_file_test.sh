#!/usr/bin/env bash
# Regression: a file left in trash/ by a crashed change (trash/1) was silently replaced
# by the next DELETE, and the file deleted then was lost. Trash files now have names no
# change reuses; nothing is replaced.
source "$(dirname "$0")/lib.sh"
kiroku_start

printf '会計報告\n' >"$KIROKU_TMP/report.txt"
expect_eq "create a file" 201 "$(status PUT /dav/report.txt -T "$KIROKU_TMP/report.txt")"
printf 'left by a crash\n' >"$KIROKU_DATA/trash/1"

expect_eq "DELETE with a stray trash/1 present" 204 "$(status DELETE /dav/report.txt)"
expect_eq "the stray file is untouched" "left by a crash" "$(cat "$KIROKU_DATA/trash/1")"
id=$(kiroku_cli trash list | awk '/report.txt/ {print $1; exit}')
[[ -n "$id" ]] || fail "the deleted file is not in the trash"
kiroku_cli trash restore "$id" >/dev/null
expect_eq "the deleted file comes back whole" "会計報告" "$(dav GET /dav/report.txt)"

out=$(kiroku_cli check || true)
grep -q "trash/1 belongs to no trash entry" <<<"$out" || fail "check does not report the stray file: $out"
echo "ok - kiroku check reports trash/1"
kiroku_cli check --repair >/dev/null
kiroku_cli trash list | grep -q "復元されたファイル/trash-1" || fail "repair did not keep the stray file in the trash"
kiroku_cli check | grep -q "no problems found" || fail "check still finds problems after --repair"
echo "ok - --repair keeps it as a trash entry; check is clean"
echo "all passed"
