#!/usr/bin/env bash
# Regression: a JSON body that stopped before its Content-Length (or broken chunking) made
# the API answer 500 and log an internal error, as if the server were at fault. It now
# answers 400 "incomplete", as WebDAV does, and closes the connection.
source "$(dirname "$0")/lib.sh"
kiroku_start
python3 - "$KIROKU_PORT" "$KIROKU_USER:$KIROKU_PASS" <<'PY' || fail "incomplete body"
import base64, socket, sys
port, cred = int(sys.argv[1]), sys.argv[2]
auth = base64.b64encode(cred.encode()).decode()
for framing, body in (("Content-Length: 200", b'{"name": "\xe9\x80\x94'),
                      ("Transfer-Encoding: chunked", b'10\r\n{"name": "x"')):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"POST /api/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n"
              f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode() + body)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(10)
    answer = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
    head = answer.split(b"\r\n")[0]
    assert head.startswith(b"HTTP/1.1 400"), (framing, answer[:200])
    assert b'"incomplete"' in answer, answer
    print(f"ok - {framing.split(':')[0]}: 400 incomplete")
PY
grep -q "POST /api/orgs failed" "$KIROKU_TMP/server.log" && fail "logged as an internal error"
echo "ok - not logged as an internal error"
kiroku_cli org list | grep -q "x" && fail "an organisation was added"
echo "ok - nothing was added"
echo "all passed"
