#!/usr/bin/env bash
# Regression: a misspelt --data made a second, empty data directory. `kiroku --data …/data2
# user add aoki2` printed "added aoki2" and exited 0 into a new folder; `user list` on a
# folder that did not exist printed nothing, exited 0 and made it. Now only `kiroku init`
# and kirokud's first start make a data directory: every other command refuses with exit
# code 2, names the folder, says what to do, and creates nothing.
source "$(dirname "$0")/lib.sh"
kiroku_start # the real data directory (kiroku init), its test user, kirokud on it

typo="$KIROKU_TMP/data2"
set +e
out=$(printf 'password-123\n' | "$KIROKU_BIN/kiroku" --data "$typo" user add aoki2 --display "青木 二郎" 2>&1)
code=$?
set -e
expect_eq "user add on a misspelt --data is refused" 2 "$code"
[[ "$out" == *"$typo"* ]] || fail "the refusal does not name the folder: $out"
[[ "$out" == *"kiroku init --data $typo"* ]] || fail "the refusal does not say what to do: $out"
[[ "$out" != *"added"* ]] || fail "it says it added someone: $out"
[[ ! -e "$typo" ]] || fail "the misspelt folder was created"
echo "ok - user add on a misspelt --data: exit 2, names the folder, creates nothing"

nowhere="$KIROKU_TMP/nowhere"
set +e
out=$("$KIROKU_BIN/kiroku" --data "$nowhere" user list 2>&1)
code=$?
set -e
expect_eq "user list on a folder that does not exist is refused" 2 "$code"
[[ "$out" == *"There is no data folder $nowhere"* ]] || fail "no plain reason: $out"
[[ ! -e "$nowhere" ]] || fail "user list created the folder"
echo "ok - user list on a missing folder: exit 2, creates nothing"

# Every command that works on a data directory, on a missing folder and on an empty one.
empty="$KIROKU_TMP/empty"
mkdir "$empty"
commands=("user list" "org list" "role list" "acl show /" "audit" "trash list" "versions list a.txt"
    "check" "search x" "index status" "reindex" "demo" "handover list" "import $KIROKU_TMP --to x"
    "backup $KIROKU_TMP/backup")
for c in "${commands[@]}"; do
    set +e
    # shellcheck disable=SC2086
    out=$("$KIROKU_BIN/kiroku" --data "$nowhere" $c 2>&1 </dev/null)
    code=$?
    set -e
    [[ "$code" == 2 && "$out" == *"$nowhere"* ]] || fail "kiroku $c on a missing folder: exit $code: $out"
    [[ ! -e "$nowhere" ]] || fail "kiroku $c created the missing folder"
    set +e
    # shellcheck disable=SC2086
    out=$("$KIROKU_BIN/kiroku" --data "$empty" $c 2>&1 </dev/null)
    code=$?
    set -e
    [[ "$code" == 2 && "$out" == *"$empty is not a Kiroku data folder"* ]] ||
        fail "kiroku $c on an empty folder: exit $code: $out"
    [[ -z "$(ls -A "$empty")" ]] || fail "kiroku $c wrote into the empty folder: $(ls -A "$empty")"
done
[[ ! -e "$KIROKU_TMP/backup" ]] || fail "backup wrote its destination"
echo "ok - ${#commands[@]} commands refuse a missing and an empty folder (exit 2) and create nothing"

# kiroku init makes it on purpose; then the commands work.
out=$("$KIROKU_BIN/kiroku" --data "$typo" init)
[[ "$out" == *"Made the data folder $typo"* ]] || fail "init does not say what it made: $out"
[[ -f "$typo/meta.db" && -f "$typo/kiroku.properties" && -d "$typo/files" ]] || fail "init made no data directory"
expect_eq "the data folder is for the service's user and group" 750 "$(stat -c %a "$typo")"
expect_eq "meta.db is too" 640 "$(stat -c %a "$typo/meta.db")"
printf 'password-123\n' | "$KIROKU_BIN/kiroku" --data "$typo" user add aoki2 --display "青木 二郎" >/dev/null
"$KIROKU_BIN/kiroku" --data "$typo" user list | grep -q "aoki2" || fail "user list after init"
kiroku_cli user list | grep -q "aoki2" && fail "aoki2 is in the real data directory"
echo "ok - kiroku init makes the data folder; then user add and user list work"

# init again changes nothing, and says so.
before=$(cd "$typo" && find . -printf '%p %s %T@\n' | sort)
out=$("$KIROKU_BIN/kiroku" --data "$typo" init)
[[ "$out" == *"already a Kiroku data folder"* ]] || fail "init on a data folder: $out"
expect_eq "init on a data folder changes nothing" "$before" "$(cd "$typo" && find . -printf '%p %s %T@\n' | sort)"
"$KIROKU_BIN/kiroku" --data "$typo" user list | grep -q "aoki2" || fail "aoki2 is gone after a second init"

# init makes no data directory among other things, and takes no argument.
mkdir "$KIROKU_TMP/home" && echo note >"$KIROKU_TMP/home/memo.txt"
set +e
out=$("$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/home" init 2>&1)
code=$?
set -e
expect_eq "init in a folder with other things in it is refused" 1 "$code"
[[ "$out" == *"new or empty folder"* ]] || fail "no plain reason: $out"
expect_eq "and it wrote nothing there" memo.txt "$(ls -A "$KIROKU_TMP/home")"
set +e
"$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/other" init "$KIROKU_TMP/other" >/dev/null 2>&1
code=$?
set -e
expect_eq "init with an argument is a usage error" 2 "$code"
[[ ! -e "$KIROKU_TMP/other" ]] || fail "init with an argument created the folder"

set +e
out=$("$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/no-such-parent/data" init 2>&1)
code=$?
set -e
expect_eq "init under a folder that does not exist is refused" 1 "$code"
[[ "$out" == *"$KIROKU_TMP/no-such-parent"*"does not exist"* ]] || fail "no plain reason: $out"
[[ ! -e "$KIROKU_TMP/no-such-parent" ]] || fail "init made the missing parent"

# A folder an installer prepared (only kiroku.properties) becomes a data directory, and
# the configuration there is kept.
mkdir "$KIROKU_TMP/prepared" && echo "#kept" >"$KIROKU_TMP/prepared/kiroku.properties"
"$KIROKU_BIN/kiroku" --data "$KIROKU_TMP/prepared" init >/dev/null
[[ -f "$KIROKU_TMP/prepared/meta.db" ]] || fail "init in a prepared folder"
expect_eq "init keeps an existing kiroku.properties" "#kept" "$(cat "$KIROKU_TMP/prepared/kiroku.properties")"

# kirokud's first start still makes a data directory.
kiroku_stop
KIROKU_DATA="$KIROKU_TMP/fresh"
kiroku_launch
[[ -f "$KIROKU_DATA/meta.db" ]] || fail "kirokud's first start made no meta.db"
kiroku_cli user list >/dev/null || fail "the kiroku command refuses what kirokud made"
echo "ok - kirokud's first start makes a data directory the kiroku command accepts"
# … and says so in its log, with what a misspelt --data means and that nobody can log in.
grep -qF "There was no data folder $KIROKU_DATA, so kirokud made a new, empty one" "$KIROKU_TMP/server.log" ||
    fail "kirokud made a data folder without saying so: $(cat "$KIROKU_TMP/server.log")"
grep -qF "There are no users yet, so nobody can log in" "$KIROKU_TMP/server.log" ||
    fail "kirokud does not say that nobody can log in"
# Started again, on the folder it made: no word of making it; with a user, none of users.
kiroku_stop
printf 'password-123\n' | kiroku_cli user add aoki3 --display "青木 三郎" >/dev/null
: >"$KIROKU_TMP/server.log"
kiroku_launch
grep -q "There was no data folder\|There are no users" "$KIROKU_TMP/server.log" &&
    fail "kirokud warns on a data folder with users: $(cat "$KIROKU_TMP/server.log")"
echo "ok - kirokud's log says when it made the data folder and while nobody can log in"
echo "all passed"
