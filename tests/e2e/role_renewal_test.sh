#!/usr/bin/env bash
# Issue 15, item 4 (renewal each April): on 2027-05-01 a plain 会員 got 404 on 回覧
# because their one-year term had ended. `kiroku role renew` carries last year's holders
# into the new fiscal year in one step, after a preview; the admin page does the same
# with one button; a role may be held without an end date (期限なし). No handover record
# is opened for a holder who continues.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_stop
ORG=桜ヶ丘自治区
cli_en() { kiroku_cli --lang en "$@"; }
add_user() { printf 'password-123\n' | kiroku_cli user add "$1" --display "$1" >/dev/null || fail "user add $1"; }
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
read_circular() { # read_circular PERSON -> the status of a PROPFIND on 回覧
    curl -sS -o /dev/null -w '%{http_code}' -u "$1:password-123" -X PROPFIND -H 'Depth: 0' \
        "$KIROKU_URL/dav/$(enc "$ORG")/$(enc 回覧)/"
}
term_id() { # term_id USER ROLE START -> the number of that term in `role list`
    cli_en role list --org "$ORG" | awk -v u="$1" -v r="$ORG/$2" -v s="$3" \
        '$2 == u && $3 == r && $4 == s { print $1 }'
}

kiroku_cli org add 市 --kind city >/dev/null
kiroku_cli org add 東地区 --kind district --parent 市 >/dev/null
kiroku_cli org add "$ORG" --kind association --parent 東地区 >/dev/null
for i in $(seq -w 1 20); do
    add_user "kaiin$i"
    kiroku_cli role assign "kaiin$i" 会員 "$ORG" --term R8 >/dev/null || fail "assign kaiin$i"
done
for u in hancho1 hancho2 leaver eien; do add_user "$u"; done
kiroku_cli role assign hancho1 班長 "$ORG" --term R8 >/dev/null
kiroku_cli role assign hancho2 班長 "$ORG" --term R8 >/dev/null
# Moved away in December: their term ends early and is not carried over.
kiroku_cli role assign leaver 会員 "$ORG" --from 2026-04-01 --to 2026-12-31 >/dev/null
echo "ok - 20 会員 and 2 班長 for R8, and one 会員 who moved away"

# --- a role held without an end date ---
out=$(cli_en role assign eien 会員 "$ORG" --term R8 --open) || fail "role assign --open: $out"
[[ "$out" == *"from 2026-04-01, with no end date"* ]] || fail "--open is not said: $out"
expect_eq "role list shows no end date" 1 "$(cli_en role list --org "$ORG" | grep -c "eien .*2026-04-01 .. no end date")"
kiroku_cli --lang ja role list --org "$ORG" | grep -q "eien .*期限なし" || fail "role list does not say 期限なし"
err=$(cli_en role assign eien 会員 "$ORG" --from 2027-04-01 --to none 2>&1) && fail "a second open holding was taken"
[[ "$err" == *"holds the role for part of that time already"* ]] || fail "overlap with an open holding: $err"
err=$(cli_en role assign eien 班長 "$ORG" --term R8 --open --to 2027-03-31 2>&1) && fail "--open with --to was taken"
[[ "$err" == *"--open and --to cannot be used together"* ]] || fail "--open with --to: $err"
echo "ok - role assign --open (and --to none) holds a role without an end date; role list says so"

# --- the preview changes nothing ---
before=$(cli_en role list --org "$ORG")
preview=$(cli_en role renew "$ORG" --to R9 --roles 会員 --dry-run) || fail "dry run: $preview"
[[ "$preview" == *"20 to carry into"* ]] || fail "the preview does not count 20: $preview"
expect_eq "the preview lists 20 会員" 20 "$(grep -c '^  会員  kaiin[0-9]*  2026-04-01 .. 2027-03-31  ->  2027-04-01 .. 2028-03-31$' <<<"$preview")"
! grep -q "leaver\|eien" <<<"$preview" || fail "the preview carries a term that ended early or has no end: $preview"
[[ "$preview" == *"nothing was changed"* ]] || fail "the preview does not say that nothing changed: $preview"
expect_eq "nothing changed after the preview" "$before" "$(cli_en role list --org "$ORG")"
echo "ok - role renew --dry-run lists the 20 会員 with their terms and changes nothing"

# --- bad input: a clear error, and nothing changes ---
err=$(cli_en role renew "$ORG" --to R9 --roles 会員 2>&1 </dev/null) && fail "renewed from a script without --yes"
[[ "$err" == *"run again with --yes"* ]] || fail "no --yes in a script: $err"
err=$(cli_en role renew "$ORG" --to R9 --roles 会長,村長 --yes 2>&1) && fail "an unknown role was taken"
[[ "$err" == *"村長"* ]] || fail "an unknown role: $err"
err=$(cli_en role renew "$ORG" --to 来年 --yes 2>&1) && fail "a bad year was taken"
[[ "$err" == *"--to"* ]] || fail "a bad year: $err"
err=$(cli_en role renew 西町 --to R9 --yes 2>&1) && fail "an unknown organisation was taken"
err=$(cli_en role renew "$ORG" --yes 2>&1) && fail "renew without --to was taken"
expect_eq "nothing changed after refusals" "$before" "$(cli_en role list --org "$ORG")"
echo "ok - no --yes in a script, an unknown role, year or organisation: refused, nothing changed"

# --- the renewal, and again ---
out=$(cli_en role renew "$ORG" --to R9 --roles 会員 --yes) || fail "renew: $out"
[[ "$out" == *"Carried 20 into"* ]] || fail "renew did not carry 20: $out"
expect_eq "20 会員 and the open-ended one hold the role on 2027-05-01" 21 "$(cli_en role list --org "$ORG" --on 2027-05-01 | grep -c "/会員 ")"
out=$(cli_en role renew "$ORG" --to R9 --roles 会員 --yes) || fail "renew again: $out"
[[ "$out" == *"0 to carry into"* && "$out" == *"20 already hold their role"* && "$out" == *"Nobody to carry over"* ]] ||
    fail "a second run does not skip those already assigned: $out"
expect_eq "the audit log has one row per renewed term" 20 "$(cli_en audit --limit 500 | grep -c role-renew)"
echo "ok - role renew --yes carries the 20 over; a second run carries 0 (already assigned)"

# --- the admin page: the preview and one button ---
kiroku_launch
JAR="$KIROKU_TMP/cookies"
curl -sS -c "$JAR" -o /dev/null --data-urlencode "name=$KIROKU_USER" --data-urlencode "password=$KIROKU_PASS" "$KIROKU_URL/login"
page=$(curl -sS -b "$JAR" "$KIROKU_URL/admin")
grep -q 'href="/admin/roles/renew"' <<<"$page" || fail "the admin page does not link the renewal"
page=$(curl -sS -b "$JAR" "$KIROKU_URL/admin/roles/renew?org=$(enc "$ORG")&year=2027")
h1=$(grep -c 'type="checkbox" id="renew-[0-9]*" name="id" value="[0-9]*" checked' <<<"$page")
expect_eq "the page lists the two 班長, ticked" 2 "$h1"
grep -q "20 人は、もう令和9年度の任期があるので" <<<"$page" || fail "the page does not say 20 are carried already"
grep -q "チェックした人を令和9年度に引き継ぐ" <<<"$page" || fail "the button does not say what it does"
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"$//')
shown=$(grep -o 'name="shown" value="[^"]*"' <<<"$page" | sed 's/.*value="//; s/"$//')
id1=$(term_id hancho1 班長 2026-04-01)
id2=$(term_id hancho2 班長 2026-04-01)
[[ -n "$id1" && -n "$id2" && "$shown" == "$id1,$id2" ]] || fail "the page's list: $shown, not $id1,$id2"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "a POST without the token" 403 \
    "$(code -b "$JAR" --data-urlencode "org=$ORG" --data "year=2027&shown=$shown&id=$id1" "$KIROKU_URL/admin/roles/renew")"
expect_eq "a POST with a list that is not the list now" 400 \
    "$(code -b "$JAR" --data-urlencode "org=$ORG" --data "csrf=$csrf&year=2027&shown=$id1&id=$id1" "$KIROKU_URL/admin/roles/renew")"
expect_eq "a POST with nobody ticked" 400 \
    "$(code -b "$JAR" --data-urlencode "org=$ORG" --data "csrf=$csrf&year=2027&shown=$shown" "$KIROKU_URL/admin/roles/renew")"
expect_eq "nothing changed after the refused POSTs" 2 "$(cli_en role list --org "$ORG" | grep -c "/班長 ")"
# hancho2 does not continue: unticked.
h=$(curl -sS -D - -o /dev/null -b "$JAR" --data-urlencode "org=$ORG" \
    --data "csrf=$csrf&year=2027&shown=$shown&id=$id1" "$KIROKU_URL/admin/roles/renew")
grep -q "^HTTP/1.1 303" <<<"$h" || fail "the renewal POST was not answered 303: $h"
grep -qi "^location: /admin/roles?.*done=renewed&count=1" <<<"$h" || fail "no confirmation after the renewal: $h"
page=$(curl -sS -b "$JAR" "$KIROKU_URL/admin/roles?org=$(enc "$ORG")&done=renewed&count=1")
grep -q "1 人を新しい年度に引き継ぎました" <<<"$page" || fail "the roles page does not confirm the renewal"
grep -q "期限なし" <<<"$page" || fail "the roles page does not show 期限なし"
expect_eq "hancho1 holds 班長 in R9" 1 "$(cli_en role list --org "$ORG" --on 2027-05-01 | grep -c "hancho1 .*/班長 ")"
expect_eq "hancho2 does not" 0 "$(cli_en role list --org "$ORG" --on 2027-05-01 | grep -c "hancho2 ")"
echo "ok - the admin page lists the holders ticked, refuses a stale list or no token, and carries the ticked ones"
# Not an administrator: no page.
MEMBER="$KIROKU_TMP/member-cookies"
curl -sS -c "$MEMBER" -o /dev/null --data "name=kaiin01&password=password-123" "$KIROKU_URL/login"
expect_eq "a 会員 asks for the page" 403 "$(code -b "$MEMBER" "$KIROKU_URL/admin/roles/renew")"

# --- rights on 2027-05-01 over HTTP ---
kiroku_stop
KIROKU_TODAY=2027-05-01 kiroku_launch
expect_eq "a renewed 会員 reads 回覧 on 2027-05-01" 207 "$(read_circular kaiin07)"
expect_eq "the 会員 who moved away does not" 404 "$(read_circular leaver)"
expect_eq "the open-ended 会員 reads 回覧 on 2027-05-01" 207 "$(read_circular eien)"
kiroku_stop
KIROKU_TODAY=2031-06-01 kiroku_launch
expect_eq "the open-ended 会員 reads 回覧 on 2031-06-01" 207 "$(read_circular eien)"
expect_eq "a renewed 会員 does not in R13" 404 "$(read_circular kaiin07)"
kiroku_stop
KIROKU_TODAY=2026-06-01 kiroku_launch
expect_eq "the open-ended 会員 reads 回覧 on 2026-06-01" 207 "$(read_circular eien)"
echo "ok - renewed and open-ended 会員 read 回覧 over HTTP on the dates they hold the role"

# --- no handover record for a holder who continues ---
list=$(KIROKU_TODAY=2027-05-01 cli_en handover list --term R8 2>/dev/null) || fail "handover list: $list"
grep -q "hancho2" <<<"$list" || fail "the 班長 who does not continue has no handover record: $list"
! grep -q "班長  hancho1 \|会員\|kaiin\|eien" <<<"$list" || fail "a holder who continues got a handover record: $list"
[[ "$list" == *"terms ending in"*": 1"* ]] || fail "not exactly one handover record: $list"
echo "ok - no handover record for the renewed or open-ended holders; the one who leaves gets one"
