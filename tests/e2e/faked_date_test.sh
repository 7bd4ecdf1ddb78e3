#!/usr/bin/env bash
# A faked date (KIROKU_TODAY, KIROKU_NOW: for tests only) is said loudly wherever it acts:
# a WARNING line in kirokud's log, /api/me's dateFaked, a warning on the admin page, once
# on the CLI's stderr. A malformed value, both at once, or an unknown time zone stop
# kirokud at start with a clear message, rather than being ignored or taken as UTC.
source "$(dirname "$0")/lib.sh"
kiroku_start
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
JAR="$KIROKU_TMP/cookies"
admin_page() { # the admin hub (/admin), logged in as the test administrator
    curl -sS -c "$JAR" -o /dev/null --data-urlencode "name=$KIROKU_USER" \
        --data-urlencode "password=$KIROKU_PASS" "$KIROKU_URL/login"
    curl -sS -b "$JAR" "$KIROKU_URL/admin"
}

# --- a real date: nothing said ---
me=$(curl -sS -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/me")
expect_eq "/api/me without a fake" "False Asia/Tokyo" "$(j 'd["dateFaked"], d["timeZone"]' <<<"$me")"
! grep -qi "warning" "$KIROKU_TMP/server.log" || fail "a warning without a faked date: $(cat "$KIROKU_TMP/server.log")"
page=$(admin_page)
grep -q 'class="today"' <<<"$page" || fail "the admin page does not show today's date"
grep -q "Asia/Tokyo" <<<"$page" || fail "the admin page does not name the time zone"
! grep -q "warning-box" <<<"$page" || fail "the admin page warns without a faked date"
echo "ok - a real date is shown with its zone, and nothing warns"

# --- KIROKU_TODAY ---
kiroku_stop
: >"$KIROKU_TMP/server.log"
KIROKU_TODAY=2027-04-01 kiroku_launch
grep -q "Warning: .*KIROKU_TODAY=2027-04-01.*A real NAS must not have KIROKU_TODAY set" "$KIROKU_TMP/server.log" ||
    { cat "$KIROKU_TMP/server.log"; fail "no warning line for KIROKU_TODAY in kirokud's log"; }
echo "ok - kirokud's log warns that the date is faked, to which date, and not on a real NAS"
me=$(curl -sS -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/me")
expect_eq "/api/me says the date is faked" "2027-04-01 True KIROKU_TODAY" \
    "$(j 'd["date"], d["dateFaked"], d["dateFakedBy"]' <<<"$me")"
page=$(admin_page)
grep -q 'class="warning-box" role="alert"' <<<"$page" || fail "the admin page shows no warning"
grep -q "KIROKU_TODAY=2027-04-01" <<<"$page" || fail "the admin page's warning does not name the variable"
echo "ok - the admin page warns too"

# The CLI says it once, on stderr; its output stays clean.
out=$(KIROKU_TODAY=2027-04-01 kiroku_cli user list 2>"$KIROKU_TMP/cli.err")
expect_eq "the CLI warns once on stderr" 1 "$(grep -c "KIROKU_TODAY=2027-04-01" "$KIROKU_TMP/cli.err")"
! grep -q "KIROKU_TODAY" <<<"$out" || fail "the CLI's warning went to stdout"

# --- KIROKU_NOW ---
kiroku_stop
: >"$KIROKU_TMP/server.log"
KIROKU_NOW=2027-03-31T15:30:00Z kiroku_launch
grep -q "Warning: .*KIROKU_NOW=2027-03-31T15:30:00Z.*2027-04-01" "$KIROKU_TMP/server.log" ||
    { cat "$KIROKU_TMP/server.log"; fail "no warning line for KIROKU_NOW"; }
me=$(curl -sS -u "$KIROKU_USER:$KIROKU_PASS" "$KIROKU_URL/api/me")
expect_eq "/api/me with KIROKU_NOW" "2027-04-01 True KIROKU_NOW" \
    "$(j 'd["date"], d["dateFaked"], d["dateFakedBy"]' <<<"$me")"
echo "ok - KIROKU_NOW is announced the same way"
kiroku_stop

# --- refused at start ---
refused() { # refused WHAT PATTERN [env...]: kirokud must exit at once, saying PATTERN
    local what=$1 pattern=$2; shift 2
    : >"$KIROKU_TMP/server.log"
    env "$@" "$KIROKU_BIN/kirokud" --data "$KIROKU_DATA" --listen "127.0.0.1:$KIROKU_PORT" \
        --listen-tls off >>"$KIROKU_TMP/server.log" 2>&1 &
    local pid=$!
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fail "$what: kirokud started"; fi
    wait "$pid" && fail "$what: kirokud exited 0"
    grep -q "cannot start: .*$pattern" "$KIROKU_TMP/server.log" ||
        { cat "$KIROKU_TMP/server.log"; fail "$what: the log does not say '$pattern'"; }
    echo "ok - $what is refused at start"
}
refused "a malformed KIROKU_TODAY" 'KIROKU_TODAY="2027-4-1" is not a date.*YYYY-MM-DD' KIROKU_TODAY=2027-4-1
refused "a KIROKU_NOW without a zone" 'KIROKU_NOW="2027-03-31T15:00:00" is not an instant' \
    KIROKU_NOW=2027-03-31T15:00:00
refused "both fakes at once" 'Both KIROKU_TODAY and KIROKU_NOW' KIROKU_TODAY=2027-04-01 \
    KIROKU_NOW=2027-03-31T15:00:00Z
cp "$KIROKU_DATA/kiroku.properties" "$KIROKU_TMP/properties.good"
printf '\ntime.zone = Asia/Tokio\n' >>"$KIROKU_DATA/kiroku.properties"
refused "an unknown time zone" 'time zone "Asia/Tokio" is unknown.*such as Asia/Tokyo.*time.zone' TZ=UTC
err=$(kiroku_cli user list 2>&1 >/dev/null) && fail "the CLI ran with an unknown time zone"
[[ "$err" == *Asia/Tokio* ]] || fail "the CLI does not name the unknown zone: $err"
echo "ok - the CLI refuses the unknown zone too"
cp "$KIROKU_TMP/properties.good" "$KIROKU_DATA/kiroku.properties"
echo "all passed"
