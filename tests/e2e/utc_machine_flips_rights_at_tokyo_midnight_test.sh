#!/usr/bin/env bash
# Finding (issue 15): rights followed the machine's local date, and a NAS or container runs
# on UTC, so terms changed at 09:00 on April 1 in Japan. Now "today" is the association's
# (time.zone = Asia/Tokyo) whatever the machine's zone: kirokud runs here with TZ=UTC and
# KIROKU_NOW fixing the instant, one second either side of midnight in Tokyo.
#   2027-03-31T14:59:59Z = 2027-03-31 23:59:59 in Tokyo: 令和8年度's 区長 (吉田) holds
#   2027-03-31T15:00:00Z = 2027-04-01 00:00:00 in Tokyo: 令和9年度's 区長 (加藤) holds
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_stop
printf '\ntime.zone = Asia/Tokyo\n' >>"$KIROKU_DATA/kiroku.properties"
for line in "org add みどり市 --kind city" "org add 東山地区 --kind district --parent みどり市" \
    "org add 桜ヶ丘自治区 --kind association --parent 東山地区" \
    "user add yoshida --display 吉田" "user add kato --display 加藤" \
    "role assign yoshida 区長 桜ヶ丘自治区 --term R8" "role assign kato 区長 桜ヶ丘自治区 --term R9"; do
    # shellcheck disable=SC2086
    printf 'password-123\n' | kiroku_cli $line >/dev/null || fail "setup: kiroku $line"
done

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
code() { # code PERSON METHOD URL-PATH [curl args]
    local person=$1 method=$2 path=$3; shift 3
    curl -sS -o /dev/null -w '%{http_code}' -u "$person:password-123" -X "$method" "$@" "$KIROKU_URL$path"
}
me() { curl -sS -u "$1:password-123" "$KIROKU_URL/api/me" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
MINUTES=/dav/$(enc 桜ヶ丘自治区)/$(enc 議事録)

TZ=UTC KIROKU_NOW=2027-03-31T14:59:59Z kiroku_launch
expect_eq "23:59:59 in Tokyo: today is still March 31" "2027-03-31 Asia/Tokyo 令和8年度" \
    "$(me yoshida 'd["date"], d["timeZone"], d["fiscalYear"]')"
expect_eq "令和8年度's 区長 writes the minutes" 201 "$(code yoshida PUT "$MINUTES/a.txt" --data-binary a)"
expect_eq "令和9年度's 区長 does not see them yet" 404 "$(code kato PROPFIND "$MINUTES/" -H 'Depth: 0')"
grep -q "今日は 2027年3月31日（令和8年度）、時間帯 Asia/Tokyo" "$KIROKU_TMP/server.log" ||
    { cat "$KIROKU_TMP/server.log"; fail "the start-up banner does not name Tokyo's date and zone"; }
echo "ok - the banner names the day, its 年度 and the zone"

kiroku_stop
TZ=UTC KIROKU_NOW=2027-03-31T15:00:00Z kiroku_launch
expect_eq "00:00 in Tokyo (15:00 UTC): today is April 1" "2027-04-01 Asia/Tokyo 令和9年度" \
    "$(me kato 'd["date"], d["timeZone"], d["fiscalYear"]')"
expect_eq "令和9年度's 区長 writes the minutes" 201 "$(code kato PUT "$MINUTES/b.txt" --data-binary b)"
expect_eq "令和8年度's 区長 may only read (the grace period)" 403 "$(code yoshida PUT "$MINUTES/c.txt" --data-binary c)"
expect_eq "and still reads" 207 "$(code yoshida PROPFIND "$MINUTES/" -H 'Depth: 0')"

# The same instant on a machine whose own zone is far behind: the date is still Tokyo's.
kiroku_stop
TZ=Pacific/Honolulu KIROKU_NOW=2027-03-31T15:00:00Z kiroku_launch
expect_eq "the machine's zone does not matter" 201 "$(code kato PUT "$MINUTES/d.txt" --data-binary d)"
echo "all passed"
