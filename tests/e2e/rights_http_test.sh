#!/usr/bin/env bash
# The rights table (tests/rights/cases.tsv) over real HTTP: kirokud is started for each
# date of the table (KIROKU_TODAY), and every case is tried as that person:
#   read   -> PROPFIND Depth 0 on the folder         (207, or 404)
#   write  -> PUT of a new file into the folder      (201, 403 or 404)
#   manage -> GET /api/acl?path=FOLDER               (200, 403 or 404)
# Then litmus runs as a 区長 (not an administrator) inside his own 議事録 folder.
source "$(dirname "$0")/lib.sh"
RIGHTS="$(cd "$(dirname "$0")/../rights" && pwd)"
KIROKU_USER_FLAGS="" kiroku_start
kiroku_stop

while read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    # shellcheck disable=SC2086
    printf 'password-123\n' | kiroku_cli $line >/dev/null || fail "setup: kiroku $line"
done <"$RIGHTS/setup.txt"
echo "ok - setup.txt applied through the CLI"

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
code() { # code PERSON METHOD URL-PATH [curl args]
    local person=$1 method=$2 path=$3; shift 3
    curl -sS -o /dev/null -w '%{http_code}' -u "$person:password-123" -X "$method" "$@" "$KIROKU_URL$path"
}

current=""
n=0
while IFS=$'\t' read -r date person op folder expected; do
    [[ -z "$date" || "$date" == \#* ]] && continue
    if [[ "$date" != "$current" ]]; then
        kiroku_stop
        KIROKU_TODAY=$date kiroku_launch
        current=$date
    fi
    n=$((n + 1))
    dir=/dav/$(enc "$folder")
    case "$op" in
        read)
            got=$(code "$person" PROPFIND "$dir" -H 'Depth: 0')
            [[ "$got" == 207 ]] && got=allow ;;
        write)
            got=$(code "$person" PUT "${dir%/}/probe-$n.txt" --data-binary "case $n")
            [[ "$got" == 201 ]] && got=allow ;;
        manage)
            got=$(code "$person" GET "/api/acl?path=$(enc "$folder")")
            [[ "$got" == 200 ]] && got=allow ;;
    esac
    [[ "$got" == "$expected" ]] || fail "case $n ($date $person $op /$folder): expected $expected, got $got"
done <"$RIGHTS/cases.tsv"
echo "ok - all $n cases of the rights table hold over HTTP"

# Refusals are in the audit log, with the person and the result.
kiroku_cli audit --user nakamura | grep -q "denied" || fail "the refused write of the previous holder is not in the audit log"
kiroku_cli audit --user kimura --path 桜ヶ丘自治区/回覧 | grep -q "denied" || fail "a member's refused write is not logged"
echo "ok - refusals are in the audit log"

# litmus with a person who has write rights (区長, not an administrator).
kiroku_stop
KIROKU_TODAY=2026-04-01 kiroku_launch
mkdir -p "$KIROKU_TMP/litmus" && cd "$KIROKU_TMP/litmus"
TESTS="basic copymove props locks http" litmus "$KIROKU_URL/dav/$(enc 桜ヶ丘自治区)/$(enc 議事録)/" yoshida password-123 >litmus.out 2>&1 || true
for suite in basic copymove props locks http; do
    line=$(grep "summary for \`$suite'" litmus.out) || { cat litmus.out; fail "litmus $suite did not run"; }
    [[ "$line" == *" 0 failed."* ]] || { cat litmus.out; fail "litmus as 区長 $suite: $line"; }
done
echo "ok - litmus passes for a 区長 in his own folder (all suites, 0 failures)"
expect_eq "the same litmus run is refused to a member" 403 "$(code kimura MKCOL "/dav/$(enc 桜ヶ丘自治区)/$(enc 回覧)/litmus2")"
kiroku_cli audit --user yoshida --limit 5000 | grep -q "桜ヶ丘自治区/区長" || fail "changes do not record the role used"
echo "ok - changes record the role whose rights were used"
echo "all passed"
