#!/usr/bin/env bash
# HTTP and WebDAV behaviour that real clients depend on, over a real kirokud:
# conditional and range GETs, chunked uploads, bodiless requests (Windows), Unicode
# normalisation (macOS), case-insensitive names (Windows), client clutter, versions
# and trash, and the free-space reserve (507).
source "$(dirname "$0")/lib.sh"
kiroku_start

auth=(-u "$KIROKU_USER:$KIROKU_PASS")
hdr() { # hdr NAME < headers: prints the value of a response header
    tr -d '\r' | awk -v n="$(echo "$1" | tr A-Z a-z)" 'BEGIN{FS=": "} tolower($1)==n {print substr($0, length($1)+3)}' | tail -1
}

# --- OPTIONS, unauthenticated, anywhere (Windows walks up from "/") ---
h=$(curl -sS -D - -o /dev/null -X OPTIONS "$KIROKU_URL/")
expect_eq "OPTIONS / advertises class 1 and 2" "1, 2" "$(echo "$h" | hdr DAV)"
expect_eq "OPTIONS / has MS-Author-Via" "DAV" "$(echo "$h" | hdr MS-Author-Via)"
expect_eq "GET /dav/ without login is 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$KIROKU_URL/dav/")"
h=$(curl -sS -D - -o /dev/null "$KIROKU_URL/dav/")
[[ "$(echo "$h" | hdr WWW-Authenticate)" == Basic* ]] || fail "401 without a Basic challenge"
echo "ok - 401 carries a Basic challenge"
expect_eq "wrong password is 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -u "$KIROKU_USER:nope" "$KIROKU_URL/dav/")"
# The web pages: a stranger at / is sent to the login page, which is Japanese, with a
# policy that allows no inline script; static files need no login.
expect_eq "/ sends a stranger to the login page" "303 /login" \
    "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$KIROKU_URL/" | sed "s|$KIROKU_URL||")"
login_page=$(curl -sS -D - "$KIROKU_URL/login")
grep -q 'ログイン' <<<"$login_page" || fail "the login page is not the Japanese page"
grep -qi "^content-security-policy: .*script-src 'self'" <<<"$login_page" || fail "the login page has no script policy"
grep -qi "unsafe-inline" <<<"$login_page" && fail "the login page allows inline script"
expect_eq "static CSS without login" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$KIROKU_URL/static/kiroku.css")"

# --- regression: every status line carried the reason phrase "OK" ("HTTP/1.1 423 OK") ---
reason() { curl -sS -o /dev/null -D - "$@" | head -1 | tr -d '\r'; }
expect_eq "401 says Unauthorized" "HTTP/1.1 401 Unauthorized" "$(reason "$KIROKU_URL/dav/")"
expect_eq "404 says Not Found" "HTTP/1.1 404 Not Found" "$(reason -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/dav/nothing")"
expect_eq "207 says Multi-Status" "HTTP/1.1 207 Multi-Status" "$(reason -u "$KIROKU_USER:$KIROKU_PASS" -X PROPFIND -H 'Depth: 0' "$KIROKU_URL/dav/")"

# --- PUT and GET with validators ---
printf '令和7年度 定期総会 議事録\n' >"$KIROKU_TMP/minutes.txt"
expect_eq "MKCOL 議事録" 201 "$(status MKCOL /dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2)"
expect_eq "PUT a new file" 201 "$(status PUT "/dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/soukai.txt" -T "$KIROKU_TMP/minutes.txt")"
[[ -f "$KIROKU_DATA/files/議事録/soukai.txt" ]] || fail "file not stored under its real Japanese name"
echo "ok - stored as a plain file with its Japanese folder name"
h=$(curl -sS -D - -o "$KIROKU_TMP/got.txt" "${auth[@]}" "$KIROKU_URL/dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/soukai.txt")
cmp -s "$KIROKU_TMP/got.txt" "$KIROKU_TMP/minutes.txt" || fail "GET returned other bytes"
etag=$(echo "$h" | hdr ETag); lastmod=$(echo "$h" | hdr Last-Modified)
[[ "$etag" == \"*\" ]] || fail "no strong ETag: $etag"
[[ -n "$lastmod" ]] || fail "no Last-Modified"
echo "ok - GET returns the bytes with ETag and Last-Modified"
u="/dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/soukai.txt"
expect_eq "If-None-Match with the ETag is 304" 304 "$(status GET "$u" -H "If-None-Match: $etag")"
expect_eq "If-Modified-Since Last-Modified is 304" 304 "$(status GET "$u" -H "If-Modified-Since: $lastmod")"
expect_eq "If-Match with another ETag on PUT is 412" 412 "$(status PUT "$u" -H 'If-Match: "nope"' -T "$KIROKU_TMP/minutes.txt")"
expect_eq "If-None-Match: * on an existing file's PUT is 412" 412 "$(status PUT "$u" -H 'If-None-Match: *' -T "$KIROKU_TMP/minutes.txt")"
expect_eq "Range request is 206" 206 "$(status GET "$u" -r 0-5)"
expect_eq "Range returns exactly those bytes" "$(head -c 6 "$KIROKU_TMP/minutes.txt" | od -An -tx1)" "$(dav GET "$u" -r 0-5 | od -An -tx1)"
expect_eq "suffix range" "$(tail -c 4 "$KIROKU_TMP/minutes.txt" | od -An -tx1)" "$(dav GET "$u" -r -4 | od -An -tx1)"
expect_eq "unsatisfiable range is 416" 416 "$(status GET "$u" -r 9999-)"
expect_eq "If-Range with a stale ETag gives the whole file" 200 "$(status GET "$u" -r 0-5 -H 'If-Range: "stale"')"
expect_eq "HEAD has the length" "$(stat -c %s "$KIROKU_TMP/minutes.txt")" "$(curl -sS -I "${auth[@]}" "$KIROKU_URL$u" | hdr Content-Length)"

# --- overwrite keeps a version; DELETE goes to the trash ---
printf '訂正版\n' >"$KIROKU_TMP/v2.txt"
expect_eq "PUT over an existing file is 204" 204 "$(status PUT "$u" -T "$KIROKU_TMP/v2.txt")"
kiroku_cli versions list 議事録/soukai.txt | grep -q "bytes" || fail "no version kept after overwrite"
vid=$(kiroku_cli versions list 議事録/soukai.txt | awk '{print $1; exit}')
kept=no
for f in "$KIROKU_DATA"/versions/*; do cmp -s "$f" "$KIROKU_TMP/minutes.txt" && kept=yes; done
[[ $kept == yes ]] || fail "version does not hold the old bytes"
echo "ok - overwrite keeps the previous content as version $vid"
expect_eq "DELETE is 204" 204 "$(status DELETE "$u")"
expect_eq "deleted file is gone" 404 "$(status GET "$u")"
kiroku_cli trash list | grep -q '議事録/soukai.txt' || fail "deleted file not in the trash"
tid=$(kiroku_cli trash list | awk '{print $1; exit}')
kiroku_cli trash restore "$tid" >/dev/null
expect_eq "restored file has the last content" "訂正版" "$(dav GET "$u")"

# --- chunked upload without Content-Length (macOS Finder) ---
head -c 300000 /dev/urandom >"$KIROKU_TMP/chunked.bin"
expect_eq "chunked PUT" 201 "$(status PUT /dav/chunked.bin -H 'Transfer-Encoding: Chunked' -T - <"$KIROKU_TMP/chunked.bin")"
cmp -s "$KIROKU_DATA/files/chunked.bin" "$KIROKU_TMP/chunked.bin" || fail "chunked upload stored other bytes"
echo "ok - chunked upload stored byte for byte"

# --- bodiless PROPFIND / MKCOL without Content-Length answer at once (Windows) ---
raw() { # raw REQUEST-TEXT: sends it on one connection, prints the response
    python3 - "$KIROKU_PORT" "$1" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode().replace(b"\n", b"\r\n"))
data, start = b"", time.time()
try:
    while time.time() - start < 3:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
        if data.count(b"HTTP/1.1") >= int(sys.argv[2].count("HTTP/1.1")) and b"</D:multistatus>" in data or (b"Content-Length: 0" in data and data.count(b"HTTP/1.1 ") >= sys.argv[2].count("HTTP/1.1")): break
except socket.timeout:
    pass
print(data.decode("utf-8", "replace"))
PY
}
b64=$(printf '%s:%s' "$KIROKU_USER" "$KIROKU_PASS" | base64 -w0)
start=$(date +%s%N)
resp=$(raw "PROPFIND /dav/ HTTP/1.1
Host: x
Authorization: Basic $b64
Depth: 1

")
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[[ "$resp" == "HTTP/1.1 207"* ]] || fail "bodiless PROPFIND: $resp"
(( elapsed < 2000 )) || fail "bodiless PROPFIND took ${elapsed} ms"
echo "ok - PROPFIND with neither Content-Length nor chunking answers in ${elapsed} ms (as allprop)"
echo "$resp" | grep -q '<D:getlastmodified>' || fail "empty PROPFIND body was not treated as allprop"
echo "$resp" | grep -q 'b:dt' && fail "getlastmodified carries a b:dt attribute"
echo "ok - no b:dt attribute on getlastmodified"

# --- keep-alive: an early error must not leave the body to be read as a request ---
resp=$(raw "PUT /dav/no-such-folder/x.txt HTTP/1.1
Host: x
Authorization: Basic $b64
Content-Length: 24

GET /evil HTTP/1.1

xxOPTIONS /dav/ HTTP/1.1
Host: x
Content-Length: 0

")
[[ "$(echo "$resp" | grep -c '^HTTP/1.1 ')" == 2 ]] || fail "expected 2 responses on the connection: $resp"
echo "$resp" | grep -q '^HTTP/1.1 409' || fail "PUT into a missing folder should be 409: $resp"
echo "$resp" | grep -q '/evil' && fail "the body was parsed as a request"
echo "ok - a refused request's body is consumed, the next request on the connection is served"

# --- PROPFIND details ---
expect_eq "Depth infinity is refused" 403 "$(status PROPFIND /dav/ -H 'Depth: infinity')"
dav PROPFIND /dav/ -H 'Depth: infinity' | grep -q 'propfind-finite-depth' || fail "no propfind-finite-depth element"
echo "ok - Depth infinity answered with propfind-finite-depth"
listing=$(dav PROPFIND /dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2 -H 'Depth: 1')
echo "$listing" | grep -q '<D:href>/dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/</D:href>' || fail "collection href lacks its trailing slash: $listing"
echo "ok - collection answers without trailing slash; href carries it"
echo "$listing" | grep -q 'lockroot' && fail "lockdiscovery must not carry lockroot"
# Windows refuses listings over 1,000,000 bytes: 1,000 typical Japanese names must fit.
mkdir "$KIROKU_DATA/files/many"
for i in $(seq 1000); do : >"$KIROKU_DATA/files/many/令和7年度_第${i}回役員会議事録.docx"; done
size=$(dav PROPFIND /dav/many/ -H 'Depth: 1' | wc -c)
(( size < 1000000 )) || fail "listing of 1,000 files is $size bytes"
echo "ok - listing of 1,000 Japanese-named files is $size bytes (< 1,000,000 for Windows)"
dav PROPFIND /dav/many/ -H 'Depth: 1' | grep -q '404 Not Found' && fail "allprop reports properties a resource lacks as 404"
echo "ok - allprop lists only what each resource has"
expect_eq "named props on a missing resource" 404 "$(status PROPFIND /dav/nothing -H 'Depth: 0')"

# --- Windows: PUT(empty) -> LOCK -> PUT -> PROPPATCH, Lock-Token with or without <> ---
expect_eq "Explorer: empty PUT" 201 "$(status PUT /dav/win.docx -H 'Content-Length: 0' --data-binary '')"
lockbody='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>WIN-PC\yamada</D:href></D:owner></D:lockinfo>'
token=$(curl -sS -D - -o /dev/null "${auth[@]}" -X LOCK -H 'Timeout: Second-3600' -H 'Content-Type: text/xml' --data-binary "$lockbody" "$KIROKU_URL/dav/win.docx" | hdr Lock-Token)
[[ "$token" == "<opaquelocktoken:"*">" ]] || fail "LOCK gave no token: $token"
echo "ok - Explorer: LOCK"
expect_eq "PUT without the token is 423" 423 "$(status PUT /dav/win.docx --data-binary 'x')"
expect_eq "423 says Locked" "HTTP/1.1 423 Locked" "$(reason -u "$KIROKU_USER:$KIROKU_PASS" -X PUT --data-binary x "$KIROKU_URL/dav/win.docx")"
expect_eq "Explorer: PUT with the token" 204 "$(status PUT /dav/win.docx -H "If: ($token)" --data-binary 'DOCX bytes')"
ms='<?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop><Z:Win32CreationTime>Mon, 23 Nov 2026 05:00:00 GMT</Z:Win32CreationTime><Z:Win32LastAccessTime>Mon, 23 Nov 2026 05:00:00 GMT</Z:Win32LastAccessTime><Z:Win32LastModifiedTime>Mon, 23 Nov 2026 05:00:00 GMT</Z:Win32LastModifiedTime><Z:Win32FileAttributes>00000020</Z:Win32FileAttributes></D:prop></D:set></D:propertyupdate>'
r=$(dav PROPPATCH /dav/win.docx -H "If: ($token)" -H 'Content-Type: text/xml' --data-binary "$ms")
echo "$r" | grep -q 'HTTP/1.1 200 OK' || fail "Win32 PROPPATCH refused: $r"
dav PROPFIND /dav/win.docx -H 'Depth: 0' | grep -q 'Win32FileAttributes xmlns="urn:schemas-microsoft-com:">00000020' || fail "Win32 property not kept"
echo "ok - Explorer: PROPPATCH of Win32 properties kept"
bare=${token#<}; bare=${bare%>}
expect_eq "UNLOCK with a bare token (no <>)" 204 "$(status UNLOCK /dav/win.docx -H "Lock-Token: $bare")"

# --- macOS: NFD names, AppleDouble files, probes ---
nfd=$(printf 'か\xe3\x82\x99.txt')   # か + combining voiced mark
printf 'mac' >"$KIROKU_TMP/mac.txt"
expect_eq "PUT with a decomposed (NFD) name" 201 "$(status PUT "/dav/$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$nfd")" -T "$KIROKU_TMP/mac.txt")"
expect_eq "GET with the composed (NFC) name finds it" mac "$(dav GET /dav/%E3%81%8C.txt)"
[[ -f "$KIROKU_DATA/files/が.txt" ]] || fail "not stored under the NFC name"
echo "ok - NFD and NFC names are one file"
expect_eq "._ AppleDouble file is stored" 201 "$(status PUT '/dav/._%E3%81%8C.txt' -T "$KIROKU_TMP/mac.txt")"
expect_eq ".DS_Store is stored" 201 "$(status PUT /dav/.DS_Store -T "$KIROKU_TMP/mac.txt")"
expect_eq "clutter is journalled as clutter" 2 "$(sqlite3 "$KIROKU_DATA/meta.db" "select count(*) from audit where clutter=1" 2>/dev/null || python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from audit where clutter=1').fetchone()[0])" "$KIROKU_DATA/meta.db")"
start=$(date +%s%N)
for probe in .localized .metadata_never_index ._. .hidden; do
    expect_eq "Finder probe $probe is a quick 404" 404 "$(status PROPFIND "/dav/$probe" -H 'Depth: 0')"
done
(( ($(date +%s%N) - start) / 1000000 < 2000 )) || fail "Finder probes were slow"

# --- Windows: case-insensitive names ---
expect_eq "a name differing only by case is refused" 409 "$(status PUT /dav/%E3%81%8C.TXT -T "$KIROKU_TMP/mac.txt")"
expect_eq "MKCOL SUB" 201 "$(status MKCOL /dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/SUB)"
expect_eq "MKCOL differing only by case is refused" 409 "$(status MKCOL /dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/sub)"
expect_eq "MOVE that only changes case is allowed" 201 "$(status MOVE /dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/SUB -H "Destination: $KIROKU_URL/dav/%E8%AD%B0%E4%BA%8B%E9%8C%B2/Sub")"

# --- full disk: a free-space reserve larger than the disk gives 507 and no file ---
kiroku_stop
echo "store.minFreeBytes = 1000000000000000" >>"$KIROKU_DATA/kiroku.properties"
kiroku_launch
expect_eq "PUT when the disk is full is 507" 507 "$(status PUT /dav/full.bin -T "$KIROKU_TMP/chunked.bin")"
expect_eq "chunked PUT when the disk is full is 507" 507 "$(status PUT /dav/full2.bin -H 'Transfer-Encoding: chunked' -T - <"$KIROKU_TMP/chunked.bin")"
[[ ! -e "$KIROKU_DATA/files/full.bin" && ! -e "$KIROKU_DATA/files/full2.bin" ]] || fail "partial file left after 507"
[[ -z "$(find "$KIROKU_DATA/tmp" -type f -name 'upload-*')" ]] || fail "temporary file left after 507"
echo "ok - no partial or temporary file after 507"
echo "all passed"
