#!/usr/bin/env bash
# The admin guide's setup walk-through (docs/admin-guide.md §7, between its
# "setup-walkthrough" markers) run as written, the way a newcomer with `make run` follows
# it: in a source folder whose build/bin is this build, with the guide's own shorthand
# `k` on a new practice data directory. Every command's output must be the one the guide
# shows. It is run twice: today, and with the date faked years ahead (the guide must not
# go stale when the year turns). Then kirokud serves the folder the walk-through built,
# and the people it made see what the guide's tables say they see.
source "$(dirname "$0")/lib.sh"
# The guide shows what kiroku prints by default: Japanese.
unset KIROKU_LANG

command -v python3 >/dev/null || fail "python3 is not installed"
DOC="$(cd "$(dirname "$0")/../.." && pwd)/docs/admin-guide.md"
RUNNER="$(dirname "$0")/doc_blocks.py"
[[ -f "$DOC" ]] || fail "no $DOC"

KIROKU_TMP=$(mktemp -d /tmp/kiroku-test.XXXXXX)
trap kiroku_cleanup EXIT

# walk DIR [ENV...]: a fresh "source folder" DIR with build/bin, the walk-through run in it.
walk() {
    local dir=$1; shift
    mkdir -p "$dir/src/build" "$dir/out"
    ln -s "$KIROKU_BIN" "$dir/src/build/bin"
    env "$@" python3 "$RUNNER" "$DOC" setup-walkthrough "$dir/src" "$dir/out" \
        --ignore '^kiroku: 警告：日付がテスト用に固定されています' >"$dir/report.txt" 2>&1 || {
        cat "$dir/report.txt" >&2
        fail "the guide's walk-through does not print what the guide shows ($*)"
    }
    tail -n 1 "$dir/report.txt"
}

walk "$KIROKU_TMP/today"
[[ -f "$KIROKU_TMP/today/src/practice-data/meta.db" ]] || fail "the walk-through made no practice-data"
grep -q 'role renew' "$KIROKU_TMP/today/out/script.sh" && grep -q 'access yamada' "$KIROKU_TMP/today/out/script.sh" ||
    fail "the walk-through lost its renewal or its access check"
echo "ok - every command of the walk-through prints what the guide shows"
walk "$KIROKU_TMP/later" KIROKU_TODAY=2031-06-01
echo "ok - the same on 2031-06-01: the walk-through does not depend on the day it is read"

# The folder it built, served: who sees what, on a day of 令和8年度 (the walk-through's year).
KIROKU_DATA="$KIROKU_TMP/today/src/practice-data"
KIROKU_PORT=$(free_port)
KIROKU_TLS_PORT=$(free_port)
KIROKU_URL="http://127.0.0.1:$KIROKU_PORT"
KIROKU_WRAP="env KIROKU_TODAY=2026-12-01" kiroku_launch
see() { # see USER PASSWORD PATH -> the status of a PROPFIND on it
    curl -sS -o /dev/null -w '%{http_code}' -u "$1:$2" -X PROPFIND -H 'Depth: 0' "$KIROKU_URL/dav/$3"
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
expect_eq "yamada (区長) sees the roster" 207 "$(see yamada sakura-kucho-1 "$(enc 桜ヶ丘自治区/名簿)")"
expect_eq "ito (会員) reads 回覧" 207 "$(see ito sakura-kaiin-1 "$(enc 桜ヶ丘自治区/回覧)")"
expect_eq "ito (会員) does not see the roster" 404 "$(see ito sakura-kaiin-1 "$(enc 桜ヶ丘自治区/名簿)")"
expect_eq "kimura (班長, from the members list) reads 回覧" 207 "$(see kimura sakura-hancho-1 "$(enc 桜ヶ丘自治区/回覧)")"
expect_eq "kato (市担当) reads 東山地区/共有" 207 "$(see kato city-tanto-01 "$(enc 東山地区/共有)")"
expect_eq "kato (市担当) does not see 桜ヶ丘自治区" 404 "$(see kato city-tanto-01 "$(enc 桜ヶ丘自治区)")"
expect_eq "sato (緑町 区長) does not see 桜ヶ丘自治区" 404 "$(see sato midori-kucho-1 "$(enc 桜ヶ丘自治区)")"
expect_eq "nakamura (区長 from R9) does not see 桜ヶ丘自治区 yet" 404 "$(see nakamura sakura-kucho-2 "$(enc 桜ヶ丘自治区)")"
