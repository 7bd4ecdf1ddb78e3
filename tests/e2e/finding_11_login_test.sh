#!/usr/bin/env bash
# Security review, finding 11: a wrong password for an existing user took ~54 ms and an
# unknown user ~0.7 ms (which told which names exist); a successful login reset the
# address's failure count and case variants of a name counted as fresh, so 30 failures
# from one address never reached 429; PBKDF2 at 310,000 iterations. Now: the same KDF
# for unknown names, counts a success does not reset, one name in any case, Argon2id.
source "$(dirname "$0")/lib.sh"
KIROKU_USER_FLAGS="" kiroku_start
printf 'victim-password-1\n' | kiroku_cli user add victim --display "被害者" >/dev/null
python3 - "$KIROKU_PORT" <<'PY'
import base64, http.client, statistics, sys, time
port = int(sys.argv[1])
def attempt(name, password):
    auth = base64.b64encode(f"{name}:{password}".encode()).decode()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.monotonic()
    c.request("PROPFIND", "/dav/", headers={"Authorization": "Basic " + auth, "Depth": "0"})
    status = c.getresponse().status
    c.close()
    return status, (time.monotonic() - start) * 1000
# Timing first, interleaved, while nothing is throttled yet (4 attempts in all). The
# fastest of each pair: a busy machine (the tests run two at a time) only adds time.
known, unknown = [], []
for i in (1, 2):
    known.append(attempt("victim", f"wrong-{i}")[1])
    unknown.append(attempt(f"nobody-{i}", "wrong")[1])
k, u = min(known), min(unknown)
print(f"wrong password for a real name {k:.0f} ms, for an unknown name {u:.0f} ms")
if u < 0.5 * k:
    sys.exit(f"FAIL: an unknown name answers in {u:.0f} ms, a real one in {k:.0f} ms")
print("ok - an unknown name takes as long as a wrong password")
PY
# The attacker's own account logs in between guesses, in case variants of the victim's name.
printf 'attacker-password-1\n' | kiroku_cli user add attacker --display "攻撃者" >/dev/null
throttled=no
for i in $(seq 30); do
    case $((i % 3)) in 0) n=VICTIM ;; 1) n=Victim ;; *) n=victim ;; esac
    code=$(curl -s -o /dev/null -w '%{http_code}' -u "$n:guess$i" "$KIROKU_URL/dav/")
    curl -s -o /dev/null -u "attacker:attacker-password-1" "$KIROKU_URL/dav/"
    if [[ $code == 429 ]]; then throttled=yes; break; fi
done
[[ $throttled == yes ]] || fail "30 failures from one address never reached 429"
echo "ok - failures from one address reach 429 after $i attempts, whatever logs in between"
hash=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT password FROM users WHERE name = ?", ("victim",)).fetchone()[0])' "$KIROKU_DATA/meta.db")
[[ $hash == '$argon2id$'* ]] || fail "passwords are not hashed with Argon2id: $hash"
echo "ok - passwords are hashed with Argon2id"
echo "all passed"
