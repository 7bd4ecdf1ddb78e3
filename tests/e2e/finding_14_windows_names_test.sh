#!/usr/bin/env bash
# Security review, finding 14: names Windows cannot use (COM0, LPT0.txt, COM¹.txt,
# "con .txt", CONIN$, names ending in a dot or a space) and U+202E (right-to-left
# override) were accepted: an office PC could not open them, or was shown a false name.
# Now each is refused with a clear message, and nothing is created.
source "$(dirname "$0")/lib.sh"
kiroku_start
printf 'x\n' >"$KIROKU_TMP/x.txt"
for name in COM0 LPT0.txt "COM¹.txt" "con .txt" 'CONIN$' "name." "name " $'report\u202etxt.exe'; do
    url="$KIROKU_URL/dav/$(python3 -c 'import urllib.parse,sys;print(urllib.parse.quote(sys.argv[1]))' "$name")"
    body=$(curl -s -w ' %{http_code}' -u "$KIROKU_USER:$KIROKU_PASS" -T "$KIROKU_TMP/x.txt" "$url")
    [[ $body == *" 400" ]] || fail "PUT '$name': $body"
    [[ $body == *"使えません"* || $body == *"含まれています"* ]] || fail "PUT '$name' without a plain reason: $body"
    echo "ok - '$name' is refused: ${body%%$'\n'*}"
done
[[ -z "$(ls -A "$KIROKU_DATA/files")" ]] || fail "something was created: $(ls -A "$KIROKU_DATA/files")"
echo "ok - nothing was created"
echo "all passed"
