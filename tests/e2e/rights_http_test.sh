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

rights_setup "$RIGHTS/setup.txt"

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
kiroku_cli audit --user yoshida --path 旭台自治会 | grep -q "denied" || fail "a refused write answered with 404 is not logged"
echo "ok - refusals are in the audit log"

# COPY and MOVE need rights at both ends (on 2026-04-01: 吉田 is 区長 of 桜ヶ丘自治区).
kiroku_stop
KIROKU_TODAY=2026-04-01 kiroku_launch
S=$(enc 桜ヶ丘自治区); K=$(enc 東山地区); M=$(enc 緑町自治区); G=$(enc 議事録); SH=$(enc 共有); R=$(enc 名簿)
expect_eq "setup: 区長 writes his minutes" 201 "$(code yoshida PUT "/dav/$S/$G/soukai.txt" --data-binary 総会)"
expect_eq "COPY from his minutes to the district's shared folder" 201 \
    "$(code yoshida COPY "/dav/$S/$G/soukai.txt" -H "Destination: $KIROKU_URL/dav/$K/$SH/soukai.txt")"
expect_eq "COPY into another association's minutes (not visible to him)" 404 \
    "$(code yoshida COPY "/dav/$S/$G/soukai.txt" -H "Destination: $KIROKU_URL/dav/$M/$G/soukai.txt")"
expect_eq "MOVE out of a folder where he may only read is refused" 403 \
    "$(code kimura MOVE "/dav/$S/$(enc 回覧)" -H "Destination: $KIROKU_URL/dav/$S/x")"
expect_eq "COPY of a roster by someone who cannot read it" 404 \
    "$(code sato COPY "/dav/$S/$R" -H "Destination: $KIROKU_URL/dav/$M/copy")"
expect_eq "DELETE of his whole space needs write above it" 403 "$(code yoshida DELETE "/dav/$S")"
# A folder holding a protected sub-folder that only the 区長 may change.
KA=$(enc 会計)
expect_eq "the 区長 makes a box inside 会計" 201 "$(code sato MKCOL "/dav/$M/$KA/box")"
kiroku_cli acl protect 緑町自治区/会計/box on >/dev/null
kiroku_cli acl grant 緑町自治区/会計/box role:緑町自治区/区長 manage >/dev/null
sleep 1.1  # policy changes from the CLI reach a running server within a second
expect_eq "the 会計 writes in 会計" 201 "$(code kimura PUT "/dav/$M/$KA/yosan.txt" --data-binary 予算)"
expect_eq "but cannot delete 会計, which holds a box he may not change" 403 "$(code kimura DELETE "/dav/$M/$KA")"
expect_eq "nor move it away" 403 "$(code kimura MOVE "/dav/$M/$KA" -H "Destination: $KIROKU_URL/dav/$M/kaikei2")"
expect_eq "the box is invisible to him" 404 "$(code kimura PUT "/dav/$M/$KA/box/x.txt" --data-binary x)"
[[ -d "$KIROKU_DATA/files/緑町自治区/会計/box" ]] || fail "the box was removed"
[[ -f "$KIROKU_DATA/files/東山地区/共有/soukai.txt" && ! -e "$KIROKU_DATA/files/緑町自治区/議事録/soukai.txt" ]] ||
    fail "COPY results on disk are wrong"
echo "ok - COPY/MOVE/DELETE check rights at both ends and in the whole subtree"

# Reads of a roster (名簿) are logged; a manager may break someone else's lock, logged too.
expect_eq "区長 lists the roster" 207 "$(code yoshida PROPFIND "/dav/$S/$R/" -H 'Depth: 1')"
kiroku_cli audit --user yoshida --path 桜ヶ丘自治区/名簿 | grep -q " list " || fail "a roster listing is not in the audit log"
echo "ok - roster reads are in the audit log"
expect_eq "setup: roster file" 201 "$(code suzuki PUT "/dav/$S/$R/meibo.txt" --data-binary 名簿)"
lockbody='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>'
token=$(curl -sS -D - -o /dev/null -u suzuki:password-123 -X LOCK --data-binary "$lockbody" "$KIROKU_URL/dav/$S/$R/meibo.txt" | tr -d '\r' | awk -F': ' 'tolower($1)=="lock-token"{print $2}')
[[ -n "$token" ]] || fail "the 書記 could not lock"
expect_eq "the 区長 cannot write the locked file" 423 "$(code yoshida PUT "/dav/$S/$R/meibo.txt" --data-binary x)"
expect_eq "a member cannot break the lock (cannot even see it)" 404 "$(code kimura UNLOCK "/dav/$S/$R/meibo.txt" -H "Lock-Token: $token")"
expect_eq "the 区長 (manage) breaks the 書記's lock" 204 "$(code yoshida UNLOCK "/dav/$S/$R/meibo.txt" -H "Lock-Token: $token")"
expect_eq "and may then write" 204 "$(code yoshida PUT "/dav/$S/$R/meibo.txt" --data-binary 更新)"
kiroku_cli audit --user yoshida | grep -q "lock-break" || fail "the broken lock is not in the audit log"
echo "ok - a manager may break a lock, and it is logged"

# The If header cannot probe files a person may not see: a hidden file's entity tag
# never matches, even when guessed right.
etag=$(curl -sS -D - -o /dev/null -u suzuki:password-123 "$KIROKU_URL/dav/$S/$R/meibo.txt" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
[[ -n "$etag" ]] || fail "no ETag for the roster file"
expect_eq "a member's If naming the hidden roster file with its real ETag fails" 412 \
    "$(code kimura PROPPATCH "/dav/$M/$KA/yosan.txt" -H "If: <$KIROKU_URL/dav/$S/$R/meibo.txt> ([$etag])" --data-binary '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>')"
expect_eq "the same If from the 書記, who can see it, holds" 207 \
    "$(code suzuki PROPPATCH "/dav/$S/$R/meibo.txt" -H "If: <$KIROKU_URL/dav/$S/$R/meibo.txt> ([$etag])" --data-binary '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>')"
roles_seen=$(curl -sS -u sato:password-123 "$KIROKU_URL/api/roles" | python3 -c 'import json,sys; print(sorted({r["org"] for r in json.load(sys.stdin)}))')
[[ "$roles_seen" != *旭台自治会* && "$roles_seen" != *桜ヶ丘自治区* ]] || fail "sato sees appointments of organisations he cannot see: $roles_seen"
echo "ok - /api/roles shows only organisations the person can see ($roles_seen)"

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
