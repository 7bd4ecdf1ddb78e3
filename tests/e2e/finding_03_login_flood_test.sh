#!/usr/bin/env bash
# Security review, finding 3: every throttled login attempt was audited with a user name
# of up to ~6 KB, so ten seconds of attempts without a login grew meta.db by 120 MB and
# server.log by 118 MB. Now per address a window holds one row for its first attempt
# and one summary; names are cut to 64 bytes.
source "$(dirname "$0")/lib.sh"
kiroku_start
db_before=$(stat -c %s "$KIROKU_DATA/meta.db"); wal_before=$(stat -c %s "$KIROKU_DATA/meta.db-wal" 2>/dev/null || echo 0)
log_before=$(stat -c %s "$KIROKU_TMP/server.log")
python3 - "$KIROKU_PORT" <<'PY'
import base64, http.client, sys, threading
port = int(sys.argv[1])
def flood(n, t):
    for i in range(n):
        name = ("x" * 6000) + f"-{t}-{i}"
        auth = base64.b64encode(f"{name}:guess".encode()).decode()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("PROPFIND", "/dav/", headers={"Authorization": "Basic " + auth, "Depth": "0"})
        c.getresponse().read()
        c.close()
threads = [threading.Thread(target=flood, args=(500, t)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()
PY
echo "ok - 2000 attempts with 6 KB names sent"
rows=$(kiroku_cli audit --limit 100000 | grep -c ' login ' || true)
(( rows <= 4 )) || fail "$rows login rows for 2000 attempts (want at most 4 until the window closes)"
echo "ok - $rows login rows in the audit log"
db_after=$(stat -c %s "$KIROKU_DATA/meta.db"); wal_after=$(stat -c %s "$KIROKU_DATA/meta.db-wal" 2>/dev/null || echo 0)
grown=$(( db_after + wal_after - db_before - wal_before ))
(( grown < 1000000 )) || fail "meta.db grew by $grown bytes"
echo "ok - meta.db grew by $grown bytes"
log_grown=$(( $(stat -c %s "$KIROKU_TMP/server.log") - log_before ))
(( log_grown < 20000 )) || { tail -c 2000 "$KIROKU_TMP/server.log" >&2; fail "server.log grew by $log_grown bytes"; }
echo "ok - server.log grew by $log_grown bytes"
[[ -n "${SHOW_LOG:-}" ]] && tail -c 3000 "$KIROKU_TMP/server.log"
if kiroku_cli audit --limit 100000 | grep -q "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; then
    fail "a name longer than 64 bytes was stored"
fi
echo "ok - names are cut to 64 bytes"
echo "all passed"
