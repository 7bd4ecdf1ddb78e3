#!/usr/bin/env bash
# Security review, finding 12: CR, LF and ANSI escapes in a Basic user name were stored
# raw and replayed by `kiroku audit` and server.log (forged lines on a terminal). Now
# whatever a stranger sends is stored and logged printable.
source "$(dirname "$0")/lib.sh"
kiroku_start
python3 - "$KIROKU_PORT" <<'PY'
import base64, http.client, sys
port = int(sys.argv[1])
name = "yamada\r\n2026-01-01T00:00:00Z  admin        ok       acl-grant    /x\x1b[2J\x1b]0;owned\x07\x9b"
auth = base64.b64encode(f"{name}:guess".encode("utf-8")).decode()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request("PROPFIND", "/dav/", headers={"Authorization": "Basic " + auth, "Depth": "0"})
print("status", c.getresponse().status)
PY
out=$(kiroku_cli audit --user "" --limit 50; kiroku_cli audit --limit 50)
if printf '%s' "$out" | grep -qP '[\x00-\x08\x0b-\x1f\x7f]'; then fail "kiroku audit prints control characters"; fi
if printf '%s' "$out" | grep -q '^2026-01-01T00:00:00Z  admin'; then fail "a forged line appears in kiroku audit"; fi
echo "ok - kiroku audit shows the name printable, on one line"
if grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$KIROKU_TMP/server.log"; then fail "server.log holds control characters"; fi
if grep -q '^2026-01-01T00:00:00Z  admin' "$KIROKU_TMP/server.log"; then fail "a forged line appears in server.log"; fi
echo "ok - server.log holds no control characters"
echo "all passed"
