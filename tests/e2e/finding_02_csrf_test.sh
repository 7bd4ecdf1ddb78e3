#!/usr/bin/env bash
# Security review, finding 2: the API took a text/plain cross-site form post to /api/acl
# with the browser's cached Basic credentials, and a body-less form POST to
# /api/roles/ID/end ended a term. Now changes from another site or origin are refused,
# and the API takes changes only as JSON.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
ADMIN="$KIROKU_USER:$KIROKU_PASS"
acl_before=$(curl -s -u "$ADMIN" "$KIROKU_URL/api/acl?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA%2F%E5%90%8D%E7%B0%BF")
grant='{"path":"桜ヶ丘自治区/名簿","principal":"role:緑町自治区/区長","rights":"manage"}'
expect_eq "a text/plain form post (as a cross-site form sends it)" 415 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Content-Type: text/plain' --data "$grant" "$KIROKU_URL/api/acl")"
expect_eq "JSON with another site's Origin" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Content-Type: application/json' -H 'Origin: https://evil.example' --data "$grant" "$KIROKU_URL/api/acl")"
expect_eq "JSON a browser marks cross-site" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Content-Type: application/json' -H 'Sec-Fetch-Site: cross-site' --data "$grant" "$KIROKU_URL/api/acl")"
acl_after=$(curl -s -u "$ADMIN" "$KIROKU_URL/api/acl?path=%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA%2F%E5%90%8D%E7%B0%BF")
expect_eq "the roster's entries did not change" "$acl_before" "$acl_after"
id=$(curl -s -u "$ADMIN" "$KIROKU_URL/api/roles" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_eq "a body-less form POST to end a term" 415 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -X POST "$KIROKU_URL/api/roles/$id/end")"
still=$(curl -s -u "$ADMIN" "$KIROKU_URL/api/roles" | python3 -c "import json,sys; print([a['to'] for a in json.load(sys.stdin) if a['id']==$id][0])")
[[ $still > $(date +%F) ]] || fail "the term was ended: to $still"
echo "ok - the term still runs to $still"
expect_eq "a WebDAV PUT from another site's page" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Origin: https://evil.example' -T /etc/hostname "$KIROKU_URL/dav/x.txt")"
expect_eq "the same-origin JSON request works" 201 \
    "$(curl -s -o /dev/null -w '%{http_code}' -u "$ADMIN" -H 'Content-Type: application/json' -H "Origin: $KIROKU_URL" --data "$grant" "$KIROKU_URL/api/acl")"
echo "all passed"
