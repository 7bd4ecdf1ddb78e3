#!/usr/bin/env bash
# The JSON API over a real kirokud: who am I, organisations, terms and permissions
# changed through the API take effect on WebDAV at once, the audit log, and errors
# as {"error", "message" (Japanese), "detail"} with the right status.
source "$(dirname "$0")/lib.sh"
kiroku_start   # the test user is an administrator
export KIROKU_TODAY=2026-06-01
kiroku_stop; kiroku_launch

j() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
api() { # api USER:PASS METHOD PATH [JSON] -> body; status in $KIROKU_TMP/status
    local who=$1 method=$2 path=$3 data=${4:-}
    local args=(-sS -o "$KIROKU_TMP/body" -w '%{http_code}' -u "$who" -X "$method" "$KIROKU_URL/api$path")
    [[ -n "$data" ]] && args+=(-H 'Content-Type: application/json' --data-binary "$data")
    curl "${args[@]}" >"$KIROKU_TMP/status"
    cat "$KIROKU_TMP/body"
}
st() { cat "$KIROKU_TMP/status"; }
ADMIN="$KIROKU_USER:$KIROKU_PASS"

# --- organisations: administrators only ---
api "$ADMIN" POST /orgs '{"name":"みどり市","kind":"city"}' >/dev/null; expect_eq "admin adds a city" 201 "$(st)"
api "$ADMIN" POST /orgs '{"name":"東山地区","kind":"district","parent":"みどり市"}' >/dev/null; expect_eq "admin adds a district" 201 "$(st)"
body=$(api "$ADMIN" POST /orgs '{"name":"桜ヶ丘自治区","kind":"association","parent":"東山地区"}')
expect_eq "admin adds an association" 201 "$(st)"
expect_eq "its space" "/桜ヶ丘自治区/" "$(echo "$body" | j 'd["space"]')"
for c in 議事録 引継ぎ 様式・申請書 会計 回覧 名簿 その他; do [[ -d "$KIROKU_DATA/files/桜ヶ丘自治区/$c" ]] || fail "category folder $c missing"; done
[[ -d "$KIROKU_DATA/files/東山地区/共有" ]] || fail "the district's 共有 folder is missing"
echo "ok - an association's space has its category folders; a district has 共有"
api "$ADMIN" POST /orgs '{"name":"桜ヶ丘自治区","kind":"association","parent":"東山地区"}' >/dev/null
expect_eq "a second organisation of the same name is refused" 409 "$(st)"
body=$(api "$ADMIN" POST /orgs '{"name":"x","kind":"association","parent":"みどり市"}')
expect_eq "an association directly under a city is refused" 409 "$(st)"
[[ "$(echo "$body" | j 'd["message"]')" == *地区* ]] || fail "no Japanese message: $body"
echo "ok - refusals carry a Japanese message"
expect_eq "error code" refused "$(echo "$body" | j 'd["error"]')"
api "$ADMIN" POST /orgs '{not json' >/dev/null; expect_eq "malformed JSON" 400 "$(st)"
api "$ADMIN" GET /nothing >/dev/null; expect_eq "unknown endpoint" 404 "$(st)"
body=$(curl -sS "$KIROKU_URL/api/me")
expect_eq "an API call without login answers in the API's JSON error format" login "$(echo "$body" | j 'd["error"]')"
api "$ADMIN" PATCH /orgs/%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA '{"name":"改名自治区","parent":"みどり市"}' >/dev/null
expect_eq "a PATCH refused for its parent" 409 "$(st)"
[[ -d "$KIROKU_DATA/files/桜ヶ丘自治区" && ! -e "$KIROKU_DATA/files/改名自治区" ]] || fail "a refused PATCH renamed the organisation anyway"
echo "ok - a refused PATCH changes nothing (regression: it used to rename first)"
api "$ADMIN" PATCH /orgs/%E3%81%AA%E3%81%84 '{"name":"x"}' >/dev/null; expect_eq "PATCH of an unknown organisation" 404 "$(st)"
api "$ADMIN" POST /orgs '{"name":12,"kind":"city"}' >/dev/null; expect_eq "a number where text is expected" 400 "$(st)"

for u in yamada:区長 suzuki:書記 ito:会員; do
    printf 'password-123\n' | kiroku_cli user add "${u%%:*}" --display "${u#*:}" >/dev/null
done
YAMADA=yamada:password-123; ITO=ito:password-123; SUZUKI=suzuki:password-123
api "$YAMADA" POST /orgs '{"name":"勝手地区","kind":"district","parent":"みどり市"}' >/dev/null
expect_eq "a non-administrator cannot add organisations" 403 "$(st)"

# --- terms: an administrator appoints the 区長; the 区長 appoints his officers ---
api "$ADMIN" POST /roles '{"user":"yamada","role":"区長","org":"桜ヶ丘自治区","term":"R8"}' >/dev/null
expect_eq "admin assigns 区長 for R8" 201 "$(st)"
body=$(api "$YAMADA" GET /me)
expect_eq "me: the role held today" "区長" "$(echo "$body" | j '[r["role"] for r in d["roles"] if r["current"]][0]')"
expect_eq "me: fiscal year" "令和8年度" "$(echo "$body" | j 'd["fiscalYear"]')"
expect_eq "me: rights on his space" manage "$(echo "$body" | j '[f["rights"] for f in d["folders"] if f["path"]=="/桜ヶ丘自治区/"][0]')"
api "$YAMADA" POST /roles '{"user":"suzuki","role":"書記","org":"桜ヶ丘自治区","term":"令和8年度"}' >/dev/null
expect_eq "the 区長 (manage) appoints the 書記" 201 "$(st)"
api "$YAMADA" POST /roles '{"user":"ito","role":"会員","org":"桜ヶ丘自治区","from":"2026-04-01","to":"2027-03-31"}' >/dev/null
expect_eq "the 区長 appoints a member" 201 "$(st)"
api "$YAMADA" POST /roles '{"user":"ito","role":"地区委員","org":"桜ヶ丘自治区","term":"R8"}' >/dev/null
expect_eq "a role outside the catalogue is refused" 409 "$(st)"
api "$SUZUKI" POST /roles '{"user":"ito","role":"会計","org":"桜ヶ丘自治区","term":"R8"}' >/dev/null
expect_eq "the 書記 (write, not manage) cannot appoint" 403 "$(st)"
api "$ITO" POST /roles '{"user":"ito","role":"区長","org":"桜ヶ丘自治区","term":"R8"}' >/dev/null
expect_eq "a member cannot appoint" 403 "$(st)"
body=$(api "$YAMADA" GET "/roles?org=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA")
expect_eq "three terms listed" 3 "$(echo "$body" | j 'len(d)')"
expect_eq "the new 書記 writes minutes at once" 201 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$SUZUKI" -T /etc/hostname "$KIROKU_URL/dav/%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2/memo.txt")"

# --- permissions: the 区長 lets members read 議事録 ---
minutes=/dav/%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2/memo.txt
expect_eq "a member cannot read minutes yet" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$ITO" "$KIROKU_URL$minutes")"
api "$ITO" GET "/acl?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA" >/dev/null
expect_eq "a member may not see the entries" 403 "$(st)"
api "$YAMADA" POST /acl '{"path":"桜ヶ丘自治区/議事録","principal":"role:桜ヶ丘自治区/会員","rights":"read"}' >/dev/null
expect_eq "the 区長 grants members read on 議事録" 201 "$(st)"
expect_eq "the member reads minutes at once" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$ITO" "$KIROKU_URL$minutes")"
body=$(api "$YAMADA" GET "/acl?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2")
expect_eq "acl shows the own and the inherited entries" "True True" "$(echo "$body" | j '" ".join(str(x) for x in [any(not e["inherited"] for e in d["entries"]), any(e["inherited"] for e in d["entries"])])')"
api "$YAMADA" DELETE "/acl?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2&principal=role:%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E4%BC%9A%E5%93%A1" >/dev/null
expect_eq "the 区長 revokes it" 200 "$(st)"
expect_eq "the member no longer sees minutes" 404 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$ITO" "$KIROKU_URL$minutes")"
api "$YAMADA" POST /acl '{"path":"東山地区/共有","principal":"role:桜ヶ丘自治区/会員","rights":"write"}' >/dev/null
expect_eq "the 区長 cannot change the district's folder" 403 "$(st)"

# --- ending a term ---
id=$(api "$YAMADA" GET "/roles?org=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA" | j '[r["id"] for r in d if r["user"]=="suzuki"][0]')
api "$YAMADA" POST "/roles/$id/end" '{"on":"2026-05-31"}' >/dev/null
expect_eq "the 区長 ends the 書記's term" 200 "$(st)"
expect_eq "the former 書記 reads during the grace period" 200 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$SUZUKI" "$KIROKU_URL$minutes")"
expect_eq "but no longer writes" 403 "$(curl -sS -o /dev/null -w '%{http_code}' -u "$SUZUKI" -T /etc/hostname "$KIROKU_URL$minutes")"

# --- ending after the planned end changes nothing; ending before the start cancels ---
id=$(api "$ADMIN" POST /roles '{"user":"ito","role":"班長","org":"桜ヶ丘自治区","term":"R9"}' | j 'd["id"]')
body=$(api "$ADMIN" POST "/roles/$id/end" '{"on":"2030-01-01"}')
expect_eq "ending after the planned end reports the real end" "2028-03-31" "$(echo "$body" | j 'd["to"]')"
body=$(api "$ADMIN" POST "/roles/$id/end" '{"on":"2026-06-01"}')
expect_eq "ending an appointment before it starts cancels it" True "$(echo "$body" | j 'd["cancelled"]')"
expect_eq "the cancelled appointment is gone" 0 "$(api "$ADMIN" GET "/roles?org=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA" | j "len([r for r in d if r['id']==$id])")"
api "$ADMIN" POST /roles '{"user":"yamada","role":"区長","org":"桜ヶ丘自治区","term":"R8"}' >/dev/null
expect_eq "the same appointment twice is refused" 409 "$(st)"

# --- audit log ---
body=$(api "$ADMIN" GET "/audit?limit=500")
expect_eq "admin reads the audit log" 200 "$(st)"
curl -sS -o /dev/null -u "$ADMIN" "$KIROKU_URL$minutes"
body=$(api "$ADMIN" GET "/audit?limit=500")
[[ "$(echo "$body" | j "len([e for e in d if e['action']=='read' and e['user']=='$KIROKU_USER'])")" -ge 1 ]] ||
    fail "an administrator's read of minutes (which only the admin right allows) is not audited"
echo "ok - administrators' uses of their right are audited, reads included"
for action in org-add role-assign acl-grant acl-revoke role-end role-cancel create; do
    [[ "$(echo "$body" | j "len([e for e in d if e['action']=='$action'])")" -ge 1 ]] || fail "audit lacks $action"
done
echo "ok - the audit log has organisation, term, permission and file changes"
expect_eq "the refused write is logged" denied "$(echo "$body" | j "[e['result'] for e in d if e['user']=='suzuki' and e['result']!='ok'][0]")"
api "$YAMADA" GET "/audit" >/dev/null; expect_eq "a manager must name a path" 403 "$(st)"
body=$(api "$YAMADA" GET "/audit?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA")
expect_eq "the 区長 reads his space's history" 200 "$(st)"
expect_eq "and only that" 0 "$(echo "$body" | j "len([e for e in d if not e['path'].startswith('/桜ヶ丘自治区')])")"
api "$ITO" GET "/audit?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA" >/dev/null; expect_eq "a member cannot" 403 "$(st)"
echo "all passed"
