#!/usr/bin/env bash
# Security review, finding 15: "Content-Length: -5" and "Transfer-Encoding: gzip,
# chunked" stored an empty file and read the body as the next request; two different
# Content-Length values were accepted; a Destination on another host was treated as
# local. Now ambiguous framing gets 400/501 and a closed connection, and a foreign
# Destination 502.
source "$(dirname "$0")/lib.sh"
kiroku_start
python3 - "$KIROKU_PORT" "$KIROKU_USER" "$KIROKU_PASS" <<'PY'
import base64, socket, sys
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
auth = base64.b64encode(f"{user}:{password}".encode()).decode()
def raw(head, body=b""):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(head.encode() + body)
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode("utf-8", "replace")
smuggled = b"GET /dav/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth.encode() + b"\r\n\r\n"
cases = [
    ("Content-Length: -5", b"hello" + smuggled, "400"),
    ("Transfer-Encoding: gzip, chunked", b"5\r\nhello\r\n0\r\n\r\n" + smuggled, "501"),
    ("Content-Length: 5\r\nContent-Length: 6", b"hello!" + smuggled, "400"),
    ("Transfer-Encoding: chunked\r\nContent-Length: 5", b"5\r\nhello\r\n0\r\n\r\n" + smuggled, "400"),
]
for i, (header, body, want) in enumerate(cases):
    answer = raw(f"PUT /dav/f{i}.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n{header}\r\n\r\n", body)
    status = answer.split(" ", 2)[1] if answer.startswith("HTTP/") else "?"
    assert status == want, f"{header!r}: {answer[:200]!r}"
    assert answer.count("HTTP/1.1 ") == 1, f"{header!r}: a second request was read from the body: {answer!r}"
    print(f"ok - {header!r} gets {status} and nothing more")
PY
[[ -z "$(ls -A "$KIROKU_DATA/files")" ]] || fail "a file was stored: $(ls -A "$KIROKU_DATA/files")"
echo "ok - nothing was stored"
printf 'x\n' >"$KIROKU_TMP/x.txt"
status PUT /dav/a.txt -T "$KIROKU_TMP/x.txt" >/dev/null
expect_eq "MOVE to another server" 502 "$(status MOVE /dav/a.txt -H 'Destination: http://elsewhere.example/dav/b.txt')"
[[ -f "$KIROKU_DATA/files/a.txt" && ! -e "$KIROKU_DATA/files/b.txt" ]] || fail "the MOVE to another server moved the file"
expect_eq "MOVE on this server" 201 "$(status MOVE /dav/a.txt -H "Destination: $KIROKU_URL/dav/b.txt")"
echo "all passed"
