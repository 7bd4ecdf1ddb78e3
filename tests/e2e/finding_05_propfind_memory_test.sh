#!/usr/bin/env bash
# Security review, finding 5: a 900 KB PROPFIND naming getetag 90,000 times on a folder of
# 200 files built a 775 MB answer in memory; four at once took kirokud to 4.2 GB. Now a
# property is answered once however often it is named, at most 256 may be named, and
# dead properties are bounded per resource; hostile PROPFINDs keep kirokud under 200 MB.
source "$(dirname "$0")/lib.sh"
kiroku_start
status MKCOL /dav/many >/dev/null
python3 - "$KIROKU_PORT" "$KIROKU_USER" "$KIROKU_PASS" <<'PY'
import base64, http.client, sys, threading
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
def req(method, path, body=b"", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = {"Authorization": auth}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, len(data)
for i in range(200):
    assert req("PUT", f"/dav/many/f{i:03}.txt", b"x")[0] == 201
hostile = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>' + b"<D:getetag/>" * 75000 + b"</D:prop></D:propfind>"
print(f"body {len(hostile)} bytes")
results = []
def attack():
    results.append(req("PROPFIND", "/dav/many/", hostile, {"Depth": "1", "Content-Type": "application/xml"}))
threads = [threading.Thread(target=attack) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
for status, size in results:
    assert status == 207, status
    assert size < 200000, f"answer of {size} bytes"
print("ok - four hostile PROPFINDs answered with", results[0][1], "bytes each")
many = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop>' + b"".join(b"<x:p%d xmlns:x=\"urn:x\"/>" % i for i in range(300)) + b"</D:prop></D:propfind>"
status, _ = req("PROPFIND", "/dav/many/", many, {"Depth": "1", "Content-Type": "application/xml"})
assert status == 400, status
print("ok - naming 300 properties is refused (400)")
def patch(prefix):
    props = b"".join(b"<x:%s%d>%s</x:%s%d>" % (prefix, i, b"v" * 2000, prefix, i) for i in range(100))
    body = b'<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:x="urn:x"><D:set><D:prop>' + props + b"</D:prop></D:set></D:propertyupdate>"
    return req("PROPPATCH", "/dav/many/f000.txt", body, {"Content-Type": "application/xml"})[0]
statuses = [patch(b"q"), patch(b"r")]
assert statuses == [207, 507], statuses
print("ok - dead properties beyond 256 KB a resource are refused (507)")
PY
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$KIROKU_PID/status")
(( hwm < 200 * 1024 )) || fail "kirokud reached $((hwm / 1024)) MB"
echo "ok - kirokud's peak memory stayed at $((hwm / 1024)) MB"
echo "all passed"
