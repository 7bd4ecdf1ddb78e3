#!/usr/bin/env bash
# The kiroku admin CLI: people, trash and versions, with clear errors and exit codes.
source "$(dirname "$0")/lib.sh"
kiroku_start

out=$(kiroku_cli user list)
[[ "$out" == *"$KIROKU_USER"*"試験 太郎"* ]] || fail "user list: $out"
echo "ok - user list shows the display name"
set +e
err=$(printf 'password-123\n' | kiroku_cli user add "$KIROKU_USER" --display "重複" 2>&1); code=$?
expect_eq "adding a taken name fails" 1 "$code"
[[ "$err" == *"すでに使われています"* ]] || fail "no plain Japanese reason: $err"
err=$(printf 'short\n' | kiroku_cli user add newbie --display "新人" 2>&1); code=$?
expect_eq "a short password is refused" 1 "$code"
[[ "$err" == *"8 文字以上"* ]] || fail "no reason for the short password: $err"
err=$(printf 'password-123\n' | kiroku_cli user add "bad name" --display "x" 2>&1); code=$?
expect_eq "a login name with a space is refused" 1 "$code"
err=$(printf 'password-123\n' | kiroku_cli user add newbie 2>&1); code=$?
expect_eq "missing --display is a usage error" 2 "$code"
kiroku_cli user list --colour blue >/dev/null 2>&1; code=$?
expect_eq "an unknown option is a usage error" 2 "$code"
kiroku_cli audit --limit x >/dev/null 2>&1; code=$?
expect_eq "--limit x is a usage error" 2 "$code"
kiroku_cli audit --since yesterday >/dev/null 2>&1; code=$?
expect_eq "--since yesterday is a usage error" 2 "$code"
kiroku_cli --config /nonexistent/kiroku.properties user list >/dev/null 2>&1; code=$?
expect_eq "a missing --config file is a usage error" 2 "$code"
"$KIROKU_BIN/kiroku" user list >/dev/null 2>&1; code=$?
expect_eq "missing --data is a usage error" 2 "$code"
kiroku_cli frobnicate >/dev/null 2>&1; code=$?
expect_eq "an unknown command is a usage error" 2 "$code"
# A usage error of one command shows that command's usage, not all forty lines.
err=$(kiroku_cli access "$KIROKU_USER" --on 2027-4-1 2>&1); code=$?
expect_eq "an unreadable --on date is a usage error" 2 "$code"
[[ "$err" == *"2027-4-1"* && "$err" == *"access USER"* && "$err" == *"kiroku --help"* ]] ||
    fail "the reason, access's usage and where the rest is: $err"
[[ "$err" != *"handover list"* && $(wc -l <<<"$err") -le 6 ]] || fail "the whole usage follows the reason: $err"
err=$(kiroku_cli frobnicate 2>&1)
[[ "$err" == *"handover list"* ]] || fail "an unknown command shows every command: $err"
err=$(kiroku_cli trash restore 999 2>&1); code=$?
expect_eq "restoring an unknown trash number fails" 1 "$code"
[[ "$err" == *"ごみ箱"* ]] || fail "no reason: $err"
set -e
printf 'password-123\n' | kiroku_cli user add newbie --display "新人 花子" >/dev/null
expect_eq "the new person can log in" 207 "$(curl -s -o /dev/null -w '%{http_code}' -u newbie:password-123 -X PROPFIND -H 'Depth: 0' "$KIROKU_URL/dav/")"

# trash restore --to when the original name is taken again
printf 'A' >"$KIROKU_TMP/a.txt"; printf 'B' >"$KIROKU_TMP/b.txt"
status PUT /dav/memo.txt -T "$KIROKU_TMP/a.txt" >/dev/null
status DELETE /dav/memo.txt >/dev/null
status PUT /dav/memo.txt -T "$KIROKU_TMP/b.txt" >/dev/null
id=$(kiroku_cli trash list | awk '{print $1; exit}')
set +e
err=$(kiroku_cli trash restore "$id" 2>&1); code=$?
set -e
expect_eq "restore onto a taken name fails" 1 "$code"
[[ "$err" == *"--to"* ]] || fail "the error does not say what to do: $err"
kiroku_cli trash restore "$id" --to memo-restored.txt >/dev/null
expect_eq "restored under another name" A "$(dav GET /dav/memo-restored.txt)"
expect_eq "the newer file is untouched" B "$(dav GET /dav/memo.txt)"
# Organisations: rename moves the space; entries and holders' rights follow.
kiroku_cli org add みどり市 --kind city >/dev/null
kiroku_cli org add 東山地区 --kind district --parent みどり市 >/dev/null
kiroku_cli org add 桜ヶ丘自治区 --kind association --parent 東山地区 >/dev/null
set +e
err=$(kiroku_cli org add 迷子自治区 --kind association --parent みどり市 2>&1); code=$?
set -e
expect_eq "an association directly under a city is refused" 1 "$code"
[[ "$err" == *"地区"* ]] || fail "no plain reason: $err"
kiroku_cli role assign newbie 区長 桜ヶ丘自治区 --from 2020-04-01 --to 2999-03-31 >/dev/null
sleep 1.1
expect_eq "the 区長 writes his minutes" 201 "$(curl -sS -o /dev/null -w '%{http_code}' -u newbie:password-123 -T "$KIROKU_TMP/a.txt" "$KIROKU_URL/dav/%E6%A1%9C%E3%83%B6%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2/a.txt")"
kiroku_cli org rename 桜ヶ丘自治区 さくらが丘自治区 >/dev/null
[[ -f "$KIROKU_DATA/files/さくらが丘自治区/議事録/a.txt" && ! -e "$KIROKU_DATA/files/桜ヶ丘自治区" ]] || fail "the space did not move"
kiroku_cli acl show さくらが丘自治区/名簿 | grep -q "role:さくらが丘自治区/区長" || fail "entries did not follow the rename"
sleep 1.1
expect_eq "the 区長 still writes under the new name" 201 "$(curl -sS -o /dev/null -w '%{http_code}' -u newbie:password-123 -T "$KIROKU_TMP/b.txt" "$KIROKU_URL/dav/%E3%81%95%E3%81%8F%E3%82%89%E3%81%8C%E4%B8%98%E8%87%AA%E6%B2%BB%E5%8C%BA/%E8%AD%B0%E4%BA%8B%E9%8C%B2/b.txt")"
kiroku_cli org list | grep -q "さくらが丘自治区" || fail "org list does not show the new name"
kiroku_cli audit | grep -q "org-rename" || fail "the rename is not audited"
echo "ok - org rename moves the space; entries, rights and the audit log follow"

# acl on a folder that does not exist: refused, nothing changed, the near name suggested
# (名薄 for 名簿: one character apart, three bytes).
for c in "show さくらが丘自治区/名薄" "grant さくらが丘自治区/名薄 person:newbie read" \
    "protect さくらが丘自治区/名薄 on" "protect さくらが丘自治区/名薄 off" "protect さくらが丘自治会/名簿 on"; do
    set +e
    # shellcheck disable=SC2086
    err=$(kiroku_cli acl $c 2>&1); code=$?
    set -e
    expect_eq "acl $c is refused" 1 "$code"
    [[ "$err" == *"Did you mean /さくらが丘自治区/名簿?"* ]] || fail "acl $c: no suggestion: $err"
    [[ "$err" != *"inherits"* && "$err" != *"granted"* ]] || fail "acl $c claims a change: $err"
done
set +e
err=$(kiroku_cli acl protect さくらが丘自治区/写真 off 2>&1); code=$?
set -e
expect_eq "acl protect off on a folder with no near name is refused" 1 "$code"
[[ "$err" == *"There is no folder /さくらが丘自治区/写真. Check the spelling"* && "$err" != *"Did you mean"* ]] ||
    fail "no plain reason: $err"
set +e
err=$(kiroku_cli acl protect さくらが丘自治区/議事録/a.txt on 2>&1); code=$?
set -e
expect_eq "acl protect on a file is refused" 1 "$code"
kiroku_cli audit | grep -q "acl-unprotect\|acl-protect\|acl-grant" && fail "a refused acl command was audited"
kiroku_cli acl show さくらが丘自治区/議事録 | grep -q "role:さくらが丘自治区/区長" || fail "acl show on a folder"
echo "ok - acl show, grant and protect refuse a missing folder and name the near one"
echo "all passed"
