#!/usr/bin/env bash
# Trying a date before it comes (issue 15, "Try a date"): `kiroku access PERSON [PATH] --on
# DATE`, GET /api/access and the page /admin/access answer what a person can open on a day.
# The setup is the admin guide's tables (tests/rights/setup.txt, as e2e_rights_http uses):
#   1. kiroku access answers every case of the rights table (tests/rights/cases.tsv);
#   2. on three dates (before April 1, April 1, after the outgoing 区長's grace period) its
#      answer for several people, at every place it lists, is what HTTP then allows them
#      (kirokud started with KIROKU_TODAY): the same rights function, not a second one;
#   3. it says why (role, term, entry), refuses unknown people and paths clearly;
#   4. the API is for administrators only; the page is too, and changes nothing.
source "$(dirname "$0")/lib.sh"
RIGHTS="$(cd "$(dirname "$0")/../rights" && pwd)"
KIROKU_USER_FLAGS="" kiroku_start
kiroku_stop

rights_setup "$RIGHTS/setup.txt"

# Percent-encodes a path (as urllib.parse.quote does), without a process: part 2 encodes
# hundreds of paths.
enc() {
    local LC_ALL=C s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
            [a-zA-Z0-9._~/-]) out+=$c ;;
            *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    echo "$out"
}
code() { # code PERSON METHOD URL-PATH [curl args]
    local person=$1 method=$2 path=$3; shift 3
    curl -sS -o /dev/null -w '%{http_code}' -u "$person:password-123" -X "$method" "$@" "$KIROKU_URL$path"
}
# places PERSON DATE [PATH]: "RIGHTS PATH [pass]" for each place kiroku access lists.
places() {
    local out
    out=$(kiroku_cli access "$1" ${3:+"$3"} --on "$2") || fail "kiroku access $*"
    awk '/^(none|read|write|manage) +\// { print $1, $2, (index($0, "[pass-through") ? "pass" : "") }' <<<"$out"
}
level() { case "$1" in none) echo 0 ;; read) echo 1 ;; write) echo 2 ;; manage) echo 3 ;; esac; }
# What HTTP should answer an operation, from kiroku access's rights and pass-through: the
# mapping tests/rights/RightsTableTest.cpp makes from the policy.
expected() { # expected OP RIGHTS PASS
    local need=1
    [[ "$1" == write ]] && need=2
    [[ "$1" == manage ]] && need=3
    if [[ "$2" == none && "$3" != pass ]]; then echo 404
    elif [[ "$1" == read || $(level "$2") -ge $need ]]; then echo allow
    else echo 403; fi
}

# --- 1. the rights table, from kiroku access alone ---
n=0
while IFS=$'\t' read -r date person op folder expected; do
    [[ -z "$date" || "$date" == \#* ]] && continue
    n=$((n + 1))
    read -r rights _ pass <<<"$(places "$person" "$date" "$folder")"
    [[ -n "$rights" ]] || fail "case $n: kiroku access $person $folder --on $date listed nothing"
    got=$(expected "$op" "$rights" "$pass")
    [[ "$got" == "$expected" ]] || fail "case $n ($date $person $op /$folder): the table says $expected, kiroku access says $rights $pass"
done <"$RIGHTS/cases.tsv"
echo "ok - kiroku access answers all $n cases of the rights table"

# --- 2. the same answer as HTTP on three dates ---
people="nakamura yoshida suzuki kimura sato tanaka liaison nobody"
for date in 2026-03-31 2026-04-01 2026-05-01; do
    kiroku_stop
    KIROKU_TODAY=$date kiroku_launch
    checked=0
    for person in $people; do
        while read -r rights path pass; do
            folder=${path#/}; folder=${folder%/}
            dir=/dav/$(enc "$folder")
            got=$(code "$person" PROPFIND "$dir" -H 'Depth: 0'); [[ "$got" == 207 ]] && got=allow
            want=$(expected read "$rights" "$pass")
            [[ "$got" == "$want" ]] || fail "$date $person read $path: kiroku access says $rights $pass, HTTP answers $got"
            got=$(code "$person" PUT "${dir%/}/probe-$person-$date.txt" --data-binary probe); [[ "$got" == 201 ]] && got=allow
            want=$(expected write "$rights" "$pass")
            [[ "$got" == "$want" ]] || fail "$date $person write $path: kiroku access says $rights $pass, HTTP answers $got"
            got=$(code "$person" GET "/api/acl?path=$(enc "$folder")"); [[ "$got" == 200 ]] && got=allow
            want=$(expected manage "$rights" "$pass")
            [[ "$got" == "$want" ]] || fail "$date $person manage $path: kiroku access says $rights $pass, HTTP answers $got"
            checked=$((checked + 1))
        done < <(places "$person" "$date")
    done
    [[ $checked -gt 100 ]] || fail "$date: only $checked places were checked"
    echo "ok - $date: kiroku access and HTTP agree at $checked places (read, write, manage) for $people"
done

# The admin guide's handover table, as kiroku access words it.
at() { places "$1" "$2" "$3" | awk '{ print $1, $3 }' | sed 's/ $//'; }
expect_eq "before April 1 the outgoing 区長 manages" manage "$(at nakamura 2026-03-31 桜ヶ丘自治区)"
expect_eq "before April 1 the incoming 区長 sees nothing" none "$(at yoshida 2026-03-31 桜ヶ丘自治区)"
expect_eq "on April 1 the outgoing 区長 only reads, also the roster" read "$(at nakamura 2026-04-01 桜ヶ丘自治区/名簿)"
expect_eq "on April 1 the incoming 区長 manages" manage "$(at yoshida 2026-04-01 桜ヶ丘自治区)"
expect_eq "after the grace period the outgoing 区長 has nothing" none "$(at nakamura 2026-05-01 桜ヶ丘自治区)"
expect_eq "a member passes through the space to 回覧" "none pass" "$(at kimura 2026-04-01 桜ヶ丘自治区)"
expect_eq "the city liaison reads the district's shared folder" read "$(at liaison 2026-04-01 東山地区/共有)"
expect_eq "a fiscal year means its April 1" manage "$(at yoshida R8 桜ヶ丘自治区)"
expect_eq "without --on, the association's today (KIROKU_TODAY)" \
    "$(at nakamura 2026-04-01 桜ヶ丘自治区)" \
    "$(KIROKU_TODAY=2026-04-01 kiroku_cli access nakamura 桜ヶ丘自治区 2>/dev/null | awk '/^read/ { print $1 }')"

# --- 3. why, and refusals ---
out=$(kiroku_cli access nakamura 桜ヶ丘自治区/名簿 --on 2026-04-01)
grep -q "role: 桜ヶ丘自治区/区長 (term 2025-04-01 .. 2026-03-31 has ended; read only until 2026-04-30)" <<<"$out" ||
    fail "the grace period is not explained: $out"
grep -q "as 桜ヶ丘自治区/区長 (term 2025-04-01 .. 2026-03-31 ended, read only): role:桜ヶ丘自治区/区長 manage on /桜ヶ丘自治区/名簿/" <<<"$out" ||
    fail "the entry behind the answer is not named: $out"
out=$(kiroku_cli access yoshida 東山地区/共有 --on 2026-04-01)
grep -q "as 桜ヶ丘自治区/区長 (term 2026-04-01 .. 2027-03-31): members:東山地区/区長 write on /東山地区/共有/" <<<"$out" ||
    fail "a members: entry is not explained: $out"
grep -q "What nobody (役職なし) can open on 2026-04-01 (令和8年度)" <<<"$(kiroku_cli access nobody --on 2026-04-01)" ||
    fail "no heading naming the person and the day"
out=$(kiroku_cli access nobody 緑町自治区/議事録 --on 2026-04-01)
grep -q "an entry for this person: person:nobody read on /緑町自治区/議事録/" <<<"$out" || fail "a person: entry is not explained: $out"
grep -q "No role held on that date." <<<"$out" || fail "nobody's missing roles are not said: $out"
grep -q "no role with rights here on that date" <<<"$(kiroku_cli access nobody 桜ヶ丘自治区 --on 2026-04-01)" ||
    fail "no rights is not explained"
grep -q "administrator" <<<"$(kiroku_cli access boss 旭台自治会 --on 2026-04-01)" || fail "an administrator's reason is not given"
echo "ok - kiroku access says why: the role, its term, the entry, or none"

set +e
err=$(kiroku_cli access somebody --on 2026-04-01 2>&1); rc=$?
set -e
expect_eq "an unknown person: exit code" 1 "$rc"
[[ "$err" == *'There is nobody with the login name "somebody"'* ]] || fail "an unknown person: $err"
set +e
err=$(kiroku_cli access suzuki 桜ヶ丘自治区/名薄 --on 2026-04-01 2>&1); rc=$?
set -e
expect_eq "a misspelt folder: exit code" 1 "$rc"
[[ "$err" == *"Did you mean /桜ヶ丘自治区/名簿?"* ]] || fail "a misspelt folder names no near one: $err"
set +e
err=$(kiroku_cli access suzuki --on 2026-4-1 2>&1); rc=$?
set -e
expect_eq "a date it cannot read: exit code (usage)" 2 "$rc"
[[ "$err" == *"--on takes a date (YYYY-MM-DD) or a fiscal year"* ]] || fail "a bad date: $err"

# --- 4. the API: administrators only ---
api() { curl -sS -u "$1:password-123" "$KIROKU_URL/api/access?$2"; }
json=$(api boss "user=nakamura&on=2026-04-01")
python3 - "$json" <<'EOF' || fail "GET /api/access: $json"
import json, sys
j = json.loads(sys.argv[1])
assert j["user"] == "nakamura" and j["date"] == "2026-04-01", j
assert j["roles"] == [{"role": "桜ヶ丘自治区/区長", "from": "2025-04-01", "to": "2026-03-31",
                       "readOnly": True, "readOnlyUntil": "2026-04-30"}], j["roles"]
at = {p["path"]: p for p in j["access"]}
roster = at["/桜ヶ丘自治区/名簿/"]
assert roster["rights"] == "read" and roster["folder"], roster
assert roster["why"][0]["entry"] == {"path": "/桜ヶ丘自治区/名簿", "principal": "role:桜ヶ丘自治区/区長",
                                     "rights": "manage"}, roster
assert at["/緑町自治区/"]["rights"] == "none" and at["/緑町自治区/"]["why"] == [], at["/緑町自治区/"]
EOF
# The API gives the CLI's answer, place for place.
diff <(places nakamura 2026-04-01 | awk '{ print $1, $2 }') \
    <(python3 -c 'import json,sys; [print(p["rights"], p["path"]) for p in json.load(sys.stdin)["access"]]' <<<"$json") ||
    fail "the API and kiroku access differ"
echo "ok - GET /api/access gives an administrator the answer kiroku access gives"
expect_eq "one path" '["read"]' \
    "$(api boss "user=kimura&on=R8&path=$(enc 桜ヶ丘自治区/回覧)" | python3 -c 'import json,sys; print(json.dumps([p["rights"] for p in json.load(sys.stdin)["access"]]))')"
expect_eq "a non-administrator (a 区長) is refused as by other admin-only calls" 403 \
    "$(code yoshida GET "/api/access?user=nakamura&on=2026-04-01")"
[[ "$(api yoshida "user=nakamura")" == *'"error":"forbidden"'* ]] || fail "the refusal is not the API's forbidden"
expect_eq "an unknown person" 404 "$(code boss GET "/api/access?user=somebody")"
expect_eq "a path where nothing is" 404 "$(code boss GET "/api/access?user=suzuki&path=$(enc 桜ヶ丘自治区/名薄)")"
expect_eq "a date it cannot read" 400 "$(code boss GET "/api/access?user=suzuki&on=tomorrow")"
expect_eq "no person" 400 "$(code boss GET "/api/access")"

# --- 5. the page ---
JAR="$KIROKU_TMP/cookies"
login() { curl -s -o /dev/null -c "$JAR" --data "name=$1&password=password-123" "$KIROKU_URL/login"; }
page() { curl -s -b "$JAR" -o "$KIROKU_TMP/page.html" -w '%{http_code}' "$KIROKU_URL$1"; }
login boss
expect_eq "the admin page" 200 "$(page /admin)"
grep -q 'href="/admin/access"' "$KIROKU_TMP/page.html" || fail "the admin page does not link to the page"
grep -q 'href="/admin/access?on=2027-04-01"' "$KIROKU_TMP/page.html" || fail "the admin page does not offer the next April 1 (today is 2026-05-01)"
expect_eq "the form alone" 200 "$(page /admin/access)"
grep -q '<option value="nakamura"' "$KIROKU_TMP/page.html" || fail "the form does not offer the people"
expect_eq "the answer for a person and a date" 200 "$(page "/admin/access?user=nakamura&on=2026-04-01&path=")"
for want in "中村さん" "令和8年4月1日" "任期 2025-04-01〜2026-03-31 は終わりました。2026-04-30 までは見るだけできます" \
    "/桜ヶ丘自治区/名簿/" "見られます。" "桜ヶ丘自治区の区長は 管理できます"; do
    grep -q "$want" "$KIROKU_TMP/page.html" || fail "the page does not say $want"
done
expect_eq "one folder, with a fiscal year for the date" 200 "$(page "/admin/access?user=kimura&on=$(enc 令和8年度)&path=$(enc 桜ヶ丘自治区)")"
grep -q "通り道" "$KIROKU_TMP/page.html" || fail "the page does not explain the pass-through"
expect_eq "a folder that is not there" 400 "$(page "/admin/access?user=suzuki&on=2026-04-01&path=$(enc 桜ヶ丘自治区/名薄)")"
grep -q 'href="#access-path"' "$KIROKU_TMP/page.html" && grep -q "/桜ヶ丘自治区/名簿 のことではありませんか" "$KIROKU_TMP/page.html" ||
    fail "the error summary does not point at the folder with the near name"
expect_eq "an unknown person" 400 "$(page "/admin/access?user=somebody&on=2026-04-01")"
grep -q 'href="#access-user"' "$KIROKU_TMP/page.html" || fail "the error summary does not point at the person"
expect_eq "a date it cannot read" 400 "$(page "/admin/access?user=suzuki&on=tomorrow")"
grep -q 'href="#access-on"' "$KIROKU_TMP/page.html" || fail "the error summary does not point at the date"
expect_eq "what people wrote is escaped" 400 "$(page "/admin/access?user=suzuki&on=$(enc '<b>x')")"
grep -q '&lt;b&gt;x' "$KIROKU_TMP/page.html" && ! grep -q '<b>x' "$KIROKU_TMP/page.html" || fail "the date field is not escaped"
expect_eq "it is a GET form: a POST is not taken" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" --data 'user=nakamura' "$KIROKU_URL/admin/access")"
login yoshida
expect_eq "a 区長 who is no administrator is refused" 403 "$(page "/admin/access?user=nakamura&on=2026-04-01")"
echo "all passed"
