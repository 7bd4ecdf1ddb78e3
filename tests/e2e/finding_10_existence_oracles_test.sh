#!/usr/bin/env bash
# Security review, finding 10: PUT to a hidden folder's name gave 405 (a missing one 404),
# and PUT/LOCK on a hidden file and on a missing one gave different bodies. Now what a
# person may not see answers exactly as what does not exist.
source "$(dirname "$0")/lib.sh"
kiroku_start
kiroku_cli demo >/dev/null
kiroku_stop; kiroku_launch
KAIIN=ito:sakura-kaiin-1
enc() { python3 -c 'import urllib.parse,sys;print(urllib.parse.quote(sys.argv[1]))' "$1"; }
printf 'x\n' >"$KIROKU_TMP/x.txt"
answer() { # answer METHOD PATH [curl args]: status and body
    local method=$1 path=$2; shift 2
    curl -s -w ' %{http_code}' -u $KAIIN -X "$method" "$@" "$KIROKU_URL/dav/$(enc "$path")"
}
lockinfo='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>'
for method in PUT LOCK; do
    args=(-T "$KIROKU_TMP/x.txt")
    [[ $method == LOCK ]] && args=(-H 'Content-Type: application/xml' --data "$lockinfo")
    hidden_folder=$(answer $method 桜ヶ丘自治区/名簿 "${args[@]}")
    missing_folder=$(answer $method 桜ヶ丘自治区/ない "${args[@]}")
    expect_eq "$method: a hidden folder's name answers as a missing name" "$missing_folder" "$hidden_folder"
    hidden_file=$(answer $method 桜ヶ丘自治区/名簿/役員名簿.txt "${args[@]}")
    missing_file=$(answer $method 桜ヶ丘自治区/名簿/ない.txt "${args[@]}")
    expect_eq "$method: a hidden file answers as a missing one" "$missing_file" "$hidden_file"
done
echo "all passed"
