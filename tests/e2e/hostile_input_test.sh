#!/usr/bin/env bash
# Hostile and broken input: every bad request gets a clear 4xx and changes nothing.
source "$(dirname "$0")/lib.sh"
kiroku_start

printf '会計報告\n' >"$KIROKU_TMP/doc.txt"
expect_eq "setup: folder" 201 "$(status MKCOL /dav/kaikei)"
expect_eq "setup: file" 201 "$(status PUT /dav/kaikei/report.txt -T "$KIROKU_TMP/doc.txt")"
dbq() { python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$KIROKU_DATA/meta.db" "$1"; }
snapshot() { (cd "$KIROKU_DATA" && find files versions trash -printf '%p %s\n' | sort; dbq "select count(*) from props"; dbq "select count(*) from audit where result = 'ok' and action not in ('lock','unlock')"); }
before=$(snapshot)

# --- hostile paths: 400 with a plain reason, nothing created ---
long=$(printf 'a%.0s' $(seq 300))
for p in "/dav/..%2f..%2fetc%2fpasswd" "/dav/%2e%2e/%2e%2e/etc/passwd" "/dav/kaikei/..%5c..%5cx" \
         "/dav/a%00b.txt" "/dav/a%0ab.txt" "/dav/a%3Ab.txt" "/dav/a%2Ab.txt" "/dav/a%22b.txt" "/dav/a%3Cb%3E.txt" \
         "/dav/a%7Cb.txt" "/dav/CON" "/dav/nul.txt" "/dav/trailing." "/dav/trailing%20" "/dav/$long" \
         "/dav/%83%5C.txt" "/dav/%E8%AD" "/dav/bad%zzescape" "/dav/kaikei/%2E%2E/%2E%2E/x"; do
    code=$(curl -sS --path-as-is -o "$KIROKU_TMP/body" -w '%{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" -X PUT --data-binary x "$KIROKU_URL$p")
    [[ "$code" == 400 ]] || fail "PUT $p: expected 400, got $code"
    grep -q . "$KIROKU_TMP/body" || fail "PUT $p: 400 without a reason"
done
echo "ok - hostile names and paths get 400 with a reason (19 cases)"
expect_eq "raw ../ in the path" 400 "$(curl -sS --path-as-is -o /dev/null -w '%{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/dav/kaikei/../../etc/passwd")"

# --- hostile Destination headers ---
for d in "$KIROKU_URL/dav/a%2fb" "$KIROKU_URL/dav/%2e%2e/x" "$KIROKU_URL/dav/x%00y" "$KIROKU_URL/dav/kaikei/../../x"; do
    expect_eq "COPY to $d" 400 "$(status COPY /dav/kaikei/report.txt -H "Destination: $d")"
done
expect_eq "MOVE outside the drive" 502 "$(status MOVE /dav/kaikei/report.txt -H "Destination: $KIROKU_URL/etc/passwd")"
expect_eq "MOVE without Destination" 400 "$(status MOVE /dav/kaikei/report.txt)"
expect_eq "MOVE a folder into itself" 403 "$(status MOVE /dav/kaikei -H "Destination: $KIROKU_URL/dav/kaikei/inner")"

# --- malformed and hostile XML ---
for body in '<D:propfind xmlns:D="DAV:"><D:prop>' 'not xml at all' '<D:propfind xmlns:D="DAV:"><D:prop><x:a xmlns:x=""/></D:prop></D:propfind>' \
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag></D:prop></D:propfind>'; do
    expect_eq "malformed PROPFIND body" 400 "$(status PROPFIND /dav/kaikei -H 'Depth: 0' --data-binary "$body")"
done
expect_eq "malformed PROPPATCH" 400 "$(status PROPPATCH /dav/kaikei/report.txt --data-binary '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x:a xmlns:x="urn:x">1</D:prop></D:set>')"
expect_eq "malformed LOCK" 400 "$(status LOCK /dav/kaikei/report.txt --data-binary '<D:lockinfo xmlns:D="DAV:"><D:lockscope>')"
expect_eq "LOCK with no scope" 400 "$(status LOCK /dav/kaikei/report.txt --data-binary '<D:lockinfo xmlns:D="DAV:"><D:locktype><D:write/></D:locktype></D:lockinfo>')"
xxe='<?xml version="1.0"?><!DOCTYPE D:propertyupdate [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x:leak xmlns:x="urn:x">&xxe;</x:leak></D:prop></D:set></D:propertyupdate>'
expect_eq "XXE payload is refused" 400 "$(status PROPPATCH /dav/kaikei/report.txt --data-binary "$xxe")"
dav PROPFIND /dav/kaikei/report.txt -H 'Depth: 0' | grep -q 'root:' && fail "external entity was resolved"
echo "ok - external entities are never resolved"
laughs='<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><D:propfind xmlns:D="DAV:"><D:prop>&f;</D:prop></D:propfind>'
expect_eq "entity expansion bomb is refused" 400 "$(status PROPFIND /dav/kaikei -H 'Depth: 0' --data-binary "$laughs")"
head -c 2000000 /dev/zero | tr '\0' 'a' | sed 's/^/<D:propfind xmlns:D="DAV:"><D:prop>/' >"$KIROKU_TMP/big.xml"
expect_eq "XML body over the limit is 413" 413 "$(status PROPFIND /dav/kaikei -H 'Depth: 0' --data-binary @"$KIROKU_TMP/big.xml")"
expect_eq "MKCOL with a body is 415" 415 "$(status MKCOL /dav/newdir --data-binary '<x/>' -H 'Content-Type: text/xml')"
expect_eq "malformed If header" 400 "$(status PUT /dav/kaikei/report.txt -H 'If: (<broken' -T "$KIROKU_TMP/doc.txt")"
expect_eq "If with an unknown lock token" 412 "$(status PUT /dav/kaikei/report.txt -H 'If: (<opaquelocktoken:nope>)' -T "$KIROKU_TMP/doc.txt")"
expect_eq "UNLOCK with a bogus token" 409 "$(status UNLOCK /dav/kaikei/report.txt -H 'Lock-Token: <opaquelocktoken:nope>')"
expect_eq "LOCK Depth 1 is refused" 400 "$(status LOCK /dav/kaikei -H 'Depth: 1' --data-binary '<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>')"
expect_eq "COPY Depth 1 is refused" 400 "$(status COPY /dav/kaikei -H 'Depth: 1' -H "Destination: $KIROKU_URL/dav/k2")"
raw_status() { # raw_status BODY-BYTES: PUT report.txt with that literal chunked body, print the status
    python3 - "$KIROKU_PORT" "$KIROKU_USER:$KIROKU_PASS" "$1" <<'PY'
import base64, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
auth = base64.b64encode(sys.argv[2].encode()).decode()
s.sendall(("PUT /dav/kaikei/report.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\n"
           "Transfer-Encoding: chunked\r\n\r\n" % auth).encode() + sys.argv[3].encode().decode("unicode_escape").encode("latin-1"))
s.shutdown(socket.SHUT_WR)
print(s.recv(100).split(b" ")[1].decode())
PY
}
expect_eq "chunked body with a bad chunk size" 400 "$(raw_status 'zz\r\nabc\r\n0\r\n\r\n')"
expect_eq "chunked body cut off mid-chunk" 400 "$(raw_status '10\r\nabc')"
expect_eq "chunked body without its last chunk" 400 "$(raw_status '3\r\nabc\r\n')"
expect_eq "DELETE of the root is refused" 403 "$(status DELETE /dav/)"
expect_eq "unknown method" 405 "$(status BREW /dav/kaikei)"

after=$(snapshot)
[[ "$before" == "$after" ]] || { diff <(echo "$before") <(echo "$after"); fail "a refused request changed something"; }
echo "ok - nothing on disk or in the metadata changed"
expect_eq "the document is intact" "会計報告" "$(dav GET /dav/kaikei/report.txt)"
kill -0 "$KIROKU_PID" || fail "server died"
echo "all passed"
