#!/usr/bin/env bash
# The web pages at the HTTP level, with curl: sessions, CSRF tokens, hostile and broken
# requests. Every refusal is clear and changes nothing (the browser tests in
# tests/browser/ cover what people see). Runs in the sanitizer build too.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
JAR="$KIROKU_TMP/cookies"
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
MINUTES="/files/$(enc 桜ヶ丘自治区)/$(enc 議事録)/"

# --- logging in ---
expect_eq "a login from another origin" 403 \
    "$(code -H "Origin: http://evil.example" --data 'name=suzuki&password=sakura-shoki-1' "$KIROKU_URL/login")"
expect_eq "a wrong password" 401 "$(code --data 'name=suzuki&password=wrong' "$KIROKU_URL/login")"
expect_eq "a login with a name only" 400 "$(code --data 'name=suzuki' "$KIROKU_URL/login")"
h=$(curl -s -D - -o /dev/null -c "$JAR" --data 'name=SUZUKI&password=sakura-shoki-1&next=//evil.example/x' "$KIROKU_URL/login")
grep -q "^HTTP/1.1 303" <<<"$h" || fail "login was not answered 303: $h"
grep -qi "^location: /\s*$" <<<"$h" || fail "a next= of another site was followed: $h"
grep -qi "^set-cookie: kiroku_session=.*HttpOnly" <<<"$h" || fail "no HttpOnly session cookie: $h"
grep -qi "^set-cookie: kiroku_session=.*SameSite=Lax" <<<"$h" || fail "no SameSite session cookie: $h"
echo "ok - login sets an HttpOnly, SameSite=Lax cookie and goes to / only"
page=$(curl -s -b "$JAR" "$KIROKU_URL$MINUTES")
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | head -1 | sed 's/.*value="//; s/"$//')
[[ ${#csrf} -eq 86 ]] || fail "no masked CSRF token in the folder page"
csrf2=$(curl -s -b "$JAR" "$KIROKU_URL$MINUTES" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
[[ "$csrf2" != "$csrf" ]] || fail "the token is the same on every page (BREACH)"
echo "ok - the folder page carries the session's token"

# --- state changes need the token ---
target="桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt"
expect_eq "delete without a token" 403 "$(code -b "$JAR" --data-urlencode "path=$target" "$KIROKU_URL/delete")"
expect_eq "delete with another token" 403 \
    "$(code -b "$JAR" --data-urlencode "path=$target" --data "csrf=$(printf 'x%.0s' {1..86})" "$KIROKU_URL/delete")"
expect_eq "a multipart upload without a token" 403 \
    "$(code -b "$JAR" -F "folder=桜ヶ丘自治区/議事録" -F "file=@/etc/hostname;filename=evil.txt" "$KIROKU_URL/upload")"
expect_eq "the file is still there" 200 "$(code -b "$JAR" "$KIROKU_URL$MINUTES$(enc 令和7年度_定期総会議事録.txt)")"
expect_eq "nothing was uploaded" 404 "$(code -b "$JAR" "$KIROKU_URL${MINUTES}evil.txt")"
expect_eq "a multipart upload with the token" 303 \
    "$(code -b "$JAR" -F "csrf=$csrf" -F "folder=桜ヶ丘自治区/議事録" -F "file=@/etc/hostname;filename=hostname.txt" "$KIROKU_URL/upload")"
expect_eq "an upload answered as JSON for scripts" '{"files":[{"name":"h2.txt","ok":true,"outcome":"added","folders":0,"message":"「h2.txt」を入れました。"}]}' \
    "$(curl -s -b "$JAR" -H 'Accept: application/json' -F "csrf=$csrf" -F "folder=桜ヶ丘自治区/議事録" -F "file=@/etc/hostname;filename=h2.txt" "$KIROKU_URL/upload")"
expect_eq "an upload into a folder the person may not write" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -H 'Accept: application/json' -F "csrf=$csrf" -F "folder=緑町自治区/議事録" -F "file=@/etc/hostname;filename=x.txt" "$KIROKU_URL/upload")"
# A folder's file (relpath): its folders are made; names that climb out are refused.
folder_upload() { # folder_upload RELPATH NAME -> the JSON answer
    curl -s -b "$JAR" -H 'Accept: application/json' -F "csrf=$csrf" -F "folder=桜ヶ丘自治区/議事録" \
        -F "relpath=$1" -F "modified=1577836800000" -F "file=@/etc/hostname;filename=$2" "$KIROKU_URL/upload"
}
[[ "$(folder_upload '古い書類/令和2年度' h3.txt)" == *'"ok":true,"outcome":"added","folders":2'* ]] ||
    fail "a folder's file: $(folder_upload '古い書類/令和2年度' h3.txt)"
expect_eq "a folder's file lands in its folders" 200 "$(code -b "$JAR" "$KIROKU_URL${MINUTES}$(enc 古い書類)/$(enc 令和2年度)/h3.txt")"
[[ "$(folder_upload '古い書類/令和2年度' h3.txt)" == *'"outcome":"unchanged"'* ]] || fail "sent again, it is not left alone"
[[ "$(folder_upload '古い書類' Thumbs.db)" == *'"outcome":"junk"'* ]] || fail "Thumbs.db is not left out"
[[ "$(folder_upload '../../etc' x.txt)" == *'"ok":false'* ]] || fail "a relpath that climbs out is not refused"
expect_eq "nothing was made above the folder" 404 "$(code -b "$JAR" "$KIROKU_URL/files/$(enc 桜ヶ丘自治区)/etc/")"
expect_eq "a folder's file into a folder the person may not write" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -H 'Accept: application/json' -F "csrf=$csrf" -F "folder=緑町自治区/議事録" -F "relpath=x" -F "file=@/etc/hostname;filename=x.txt" "$KIROKU_URL/upload")"
expect_eq "… makes no folder there" 404 "$(code -b "$JAR" "$KIROKU_URL/files/$(enc 緑町自治区)/$(enc 議事録)/x/")"

# --- hostile and broken requests ---
expect_eq "a path that climbs out" 400 "$(code -b "$JAR" --path-as-is "$KIROKU_URL/files/%2e%2e/etc/")"
expect_eq "a static file that climbs out" 404 "$(code --path-as-is "$KIROKU_URL/static/../../etc/passwd")"
expect_eq "an unknown page" 404 "$(code -b "$JAR" "$KIROKU_URL/no/such/page")"
expect_eq "a method pages do not take" 405 "$(code -b "$JAR" -X PUT --data x "$KIROKU_URL/settings")"
{ printf 'csrf=%s&in=x&name=' "$csrf"; head -c 200000 /dev/zero | tr '\0' 'a'; } >"$KIROKU_TMP/big"
expect_eq "a form body over 64 KiB" 413 "$(code -b "$JAR" --data-binary @"$KIROKU_TMP/big" "$KIROKU_URL/new-folder")"
expect_eq "a bad version number" 404 "$(code -b "$JAR" "$KIROKU_URL/version?id=abc")"
expect_eq "a setting that does not exist" 400 "$(code -b "$JAR" --data "csrf=$csrf&size=huge&lang=ja" "$KIROKU_URL/settings")"
expect_eq "a forged session cookie" 303 "$(code -b "kiroku_session=$(printf 'A%.0s' {1..43})" "$KIROKU_URL/")"
h=$(curl -s -D - -o /dev/null -b "$JAR" "$KIROKU_URL/")
grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" <<<"$h" || fail "no page policy: $h"
grep -qi "^cache-control: no-store" <<<"$h" || fail "a page may be cached: $h"
echo "ok - pages carry the policy and are not cached"
h=$(curl -s -D - -o /dev/null -b "$JAR" "$KIROKU_URL/raw/$(enc 桜ヶ丘自治区)/$(enc 議事録)/hostname.txt")
grep -qi "^content-security-policy: sandbox" <<<"$h" || fail "a user file is not sandboxed: $h"
grep -qi "^x-content-type-options: nosniff" <<<"$h" || fail "a user file may be sniffed: $h"
echo "ok - user files are served sandboxed"

# --- logging out ---
expect_eq "logout without the token" 403 "$(code -b "$JAR" -X POST "$KIROKU_URL/logout")"
expect_eq "logout" 303 "$(code -b "$JAR" -c "$JAR" --data "csrf=$csrf" "$KIROKU_URL/logout")"
expect_eq "the old cookie opens nothing" 303 "$(code -b "$JAR" "$KIROKU_URL$MINUTES")"
echo "all passed"
