#!/usr/bin/env bash
# Regression: a file left in versions/ by a crashed change (versions/1, as the first
# version's file was named) made every later overwrite of every file fail with 405 and
# the server's disk path in the body. Version files now have names no change reuses;
# `kiroku check` reports a stray one and --repair keeps it as a trash entry.
source "$(dirname "$0")/lib.sh"
kiroku_start

printf '第1版\n' >"$KIROKU_TMP/v1.txt"
printf '第2版\n' >"$KIROKU_TMP/v2.txt"
printf '第3版\n' >"$KIROKU_TMP/v3.txt"
expect_eq "create a file" 201 "$(status PUT /dav/minutes.txt -T "$KIROKU_TMP/v1.txt")"
expect_eq "create another" 201 "$(status PUT /dav/other.txt -T "$KIROKU_TMP/v1.txt")"
printf 'left by a crash\n' >"$KIROKU_DATA/versions/1"

body=$(dav PUT /dav/minutes.txt -T "$KIROKU_TMP/v2.txt" -w '%{http_code}')
expect_eq "overwrite with a stray versions/1 present" 204 "$body"
expect_eq "overwrite the other file" 204 "$(status PUT /dav/other.txt -T "$KIROKU_TMP/v2.txt")"
expect_eq "overwrite again" 204 "$(status PUT /dav/minutes.txt -T "$KIROKU_TMP/v3.txt")"
expect_eq "the file has the newest content" "第3版" "$(dav GET /dav/minutes.txt)"
expect_eq "both earlier versions are kept" 2 "$(kiroku_cli versions list minutes.txt | grep -c bytes)"
expect_eq "the stray file is untouched" "left by a crash" "$(cat "$KIROKU_DATA/versions/1")"

out=$(kiroku_cli check || true)
grep -q "versions/1 belongs to no version" <<<"$out" || fail "check does not report the stray file: $out"
echo "ok - kiroku check reports versions/1"
kiroku_cli check --repair >/dev/null
[[ ! -e "$KIROKU_DATA/versions/1" ]] || fail "repair left the stray file in versions/"
kiroku_cli trash list | grep -q "復元されたファイル/versions-1" || fail "repair did not keep the stray file in the trash"
echo "ok - --repair keeps it as a trash entry"
kiroku_cli check | grep -q "no problems found" || fail "check still finds problems after --repair"
echo "ok - check is clean after --repair"
echo "all passed"
