#!/usr/bin/env bash
# End-to-end: Debian's cadaver (a neon-based command-line WebDAV client) against a real
# kirokud. cadaver reads its commands from stdin when that is not a terminal and its
# credentials from ~/.netrc, so each "session" below is a here-document; HOME points to a
# temporary directory so the test never reads or writes the real ~/.netrc.
#
# Covered: MKCOL of a Japanese folder, PUT/GET of UTF-8 Japanese text, ls, COPY, MOVE,
# PROPPATCH/PROPFIND of a dead property (and that COPY/MOVE carry it), LOCK held by
# cadaver while another client is refused (423), PUT through cadaver's own lock, UNLOCK,
# `edit` (lock, download, upload, unlock), the refusals a user sees (405, 409, 400, 423),
# ._/.DS_Store stored (and hidden from the browser listing), NFD names stored as NFC,
# DELETE and RMCOL going to the trash and back with `trash restore`, versions on overwrite;
# every effect is checked on disk under $KIROKU_DATA/files, with curl and with the CLI.
source "$(dirname "$0")/lib.sh"

command -v cadaver >/dev/null || fail "cadaver is not installed (apt-get install cadaver)"
command -v python3 >/dev/null || fail "python3 is needed"

kiroku_start
FILES="$KIROKU_DATA/files"
W="$KIROKU_TMP/work"
mkdir -p "$W" "$KIROKU_TMP/home"
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$KIROKU_USER" "$KIROKU_PASS" >"$KIROKU_TMP/home/.netrc"
chmod 600 "$KIROKU_TMP/home/.netrc"

# enc PATH: percent-encode a document path for a URL (slashes kept).
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
# cenc PATH: the same, as cadaver prints it in upload lines (lower-case hex, ':' encoded).
cenc() {
    python3 -c 'import re, sys, urllib.parse
print(re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(sys.argv[1], safe="/")))' "$1"
}

# cadaver_session NAME: run cadaver with the commands on stdin; the transcript is in
# $W/NAME.out. Fails when cadaver could not log in or did not finish.
cadaver_session() {
    local out="$W/$1.out" rc=0
    HOME="$KIROKU_TMP/home" timeout 30 cadaver "$KIROKU_URL/dav/" >"$out" 2>&1 || rc=$?
    if ((rc != 0)) || grep -Eq 'Could not|Username:|Authentication required|not WebDAV' "$out"; then
        cat "$out" >&2
        fail "cadaver session $1 did not run cleanly (exit $rc)"
    fi
}

# expect_clean NAME: no command of the session failed.
expect_clean() {
    if grep -Eiq 'failed|error' "$W/$1.out"; then
        cat "$W/$1.out" >&2
        fail "cadaver session $1 reported a failure"
    fi
    echo "ok - cadaver session $1: every command succeeded"
}

# expect_line NAME WHAT PATTERN: the transcript contains the fixed string PATTERN.
expect_line() {
    grep -Fq -- "$3" "$W/$1.out" || { cat "$W/$1.out" >&2; fail "$2: '$3' not in the cadaver output"; }
    echo "ok - $2"
}

# expect_refused NAME WHAT 'Creating `x' STATUS: cadaver reports that the command whose
# progress line starts with the fixed string `Creating `x'` failed, with STATUS on the next
# line (cadaver prints "...: failed:" and then "STATUS REASON").
expect_refused() {
    local lines
    lines=$(grep -F -m1 -A1 -- "$3" "$W/$1.out" || true)
    if ! grep -q 'failed:$' <<<"$(head -n1 <<<"$lines")" || ! grep -Eq "^$4( |$)" <<<"$(sed -n 2p <<<"$lines")"; then
        cat "$W/$1.out" >&2
        fail "$2: expected '$3' to fail with $4"
    fi
    echo "ok - $2"
}

# lock_token PATH: the token of the lock on PATH, or nothing.
lock_token() {
    dav PROPFIND "/dav/$(enc "$1")" -H 'Depth: 0' -H 'Content-Type: application/xml' \
        --data '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><lockdiscovery/></prop></propfind>' |
        grep -o 'opaquelocktoken:[^<]*' | head -n1 || true
}

# Local files: multi-line Japanese UTF-8 text, one line with a 4-byte character (𠮷).
printf '令和6年度 総会 議事録\n日時: 令和6年4月21日（日）午前10時\n出席者: 𠮷田、山田、佐藤\n議題: 防犯灯の更新について\n' >"$W/総会メモ.txt"
printf '令和6年度 総会 議事録（修正版）\n防犯灯は三基を更新する。\n' >"$W/修正版.txt"
printf 'Mac resource fork\n' >"$W/mac.txt"
ORIG_SIZE=$(stat -c %s "$W/総会メモ.txt")
NFD_NAME=$(python3 -c 'import unicodedata; print(unicodedata.normalize("NFD", "がっこう便り.txt"))')
NFC_NAME=$(python3 -c 'import unicodedata; print(unicodedata.normalize("NFC", "がっこう便り.txt"))')
[[ "$NFD_NAME" != "$NFC_NAME" ]] || fail "python did not produce an NFD name"

# --- 1. basics: mkcol, put, ls, get, propset/propget, copy, move ---------------------------
cadaver_session basics <<EOF
mkcol 議事録
cd 議事録
put $W/総会メモ.txt 令和6年度総会.txt
ls
get 令和6年度総会.txt $W/取得.txt
propset 令和6年度総会.txt 分類 議事録
propget 令和6年度総会.txt 分類
copy 令和6年度総会.txt 写し.txt
move 写し.txt 令和6年度総会-改.txt
propget 令和6年度総会-改.txt 分類
put $W/mac.txt ._令和6年度総会.txt
put $W/mac.txt .DS_Store
put $W/総会メモ.txt $NFD_NAME
ls
quit
EOF
expect_clean basics
expect_line basics "mkcol of a Japanese folder" "Creating \`議事録': succeeded."
[[ -d "$FILES/議事録" ]] || fail "folder 議事録 not on disk"
echo "ok - folder 議事録 exists on disk"
grep -E "^ +令和6年度総会\.txt +$ORIG_SIZE " "$W/basics.out" >/dev/null ||
    { cat "$W/basics.out" >&2; fail "ls does not list 令和6年度総会.txt with size $ORIG_SIZE"; }
echo "ok - ls lists the uploaded file with its size"
cmp -s "$W/総会メモ.txt" "$FILES/議事録/令和6年度総会.txt" || fail "file on disk differs from the uploaded one"
echo "ok - uploaded bytes are on disk unchanged"
cmp -s "$W/総会メモ.txt" "$W/取得.txt" || fail "cadaver get returned different bytes"
echo "ok - cadaver get returns the same bytes"
got=$(dav GET "/dav/$(enc 議事録/令和6年度総会.txt)")
expect_eq "curl GET returns the same text" "$(cat "$W/総会メモ.txt")" "$got"
expect_line basics "propget returns the value set with propset" "Value of 分類 is: 議事録"
[[ $(grep -cF "Value of 分類 is: 議事録" "$W/basics.out") -eq 2 ]] ||
    fail "the dead property did not travel with COPY and MOVE"
echo "ok - the dead property travels with COPY and MOVE"
props=$(dav PROPFIND "/dav/$(enc 議事録/令和6年度総会.txt)" -H 'Depth: 0' -H 'Content-Type: application/xml' \
    --data '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><c:分類 xmlns:c="http://webdav.org/cadaver/custom-properties/"/></prop></propfind>')
grep -q '>議事録</' <<<"$props" || fail "PROPFIND does not return the dead property: $props"
echo "ok - curl PROPFIND returns the dead property"
[[ ! -e "$FILES/議事録/写し.txt" ]] || fail "moved-away copy still on disk"
cmp -s "$W/総会メモ.txt" "$FILES/議事録/令和6年度総会-改.txt" || fail "copy+move result differs on disk"
echo "ok - copy then move leaves exactly the renamed copy"
[[ -f "$FILES/議事録/._令和6年度総会.txt" && -f "$FILES/議事録/.DS_Store" ]] || fail "._ or .DS_Store not stored"
echo "ok - ._ and .DS_Store files are stored"
page=$(dav GET "/dav/$(enc 議事録)/")
grep -qF '令和6年度総会.txt' <<<"$page" && ! grep -qE '\._|\.DS_Store' <<<"$page" ||
    fail "the browser listing should show documents and hide ._/.DS_Store clutter: $page"
echo "ok - the browser listing hides ._ and .DS_Store clutter"
ondisk=$(find "$FILES/議事録" -maxdepth 1 -name '*こう便り.txt' -printf '%f\n')
expect_eq "an NFD name is stored in NFC" "$NFC_NAME" "$ondisk"
hrefs=$(dav PROPFIND /dav/ -H 'Depth: 1' -H 'Content-Type: application/xml' \
    --data '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>')
grep -qi "<D:href>/dav/$(enc 議事録)/</D:href>" <<<"$hrefs" || fail "folder href missing or without '/': $hrefs"
echo "ok - PROPFIND lists the folder with a trailing '/'"

# --- 2. locks: cadaver holds a lock while another client writes -----------------------------
# cadaver reads from a FIFO so that it stays connected (holding its lock token) while curl
# acts as a second client; progress is observed on the server, not in cadaver's output.
DOC=議事録/令和6年度総会.txt
mkfifo "$W/cmds"
HOME="$KIROKU_TMP/home" timeout 60 cadaver "$KIROKU_URL/dav/" <"$W/cmds" >"$W/locks.out" 2>&1 &
CADAVER_PID=$!
exec 3>"$W/cmds"
echo "lock $DOC" >&3
token=""
for _ in $(seq 100); do
    token=$(lock_token "$DOC")
    [[ -n "$token" ]] && break
    sleep 0.1
done
[[ -n "$token" ]] || { exec 3>&-; cat "$W/locks.out" >&2; fail "cadaver's lock never appeared in lockdiscovery"; }
echo "ok - cadaver's lock is visible in lockdiscovery"
expect_eq "PUT by another client without the token is refused" 423 \
    "$(status PUT "/dav/$(enc "$DOC")" --data-binary 'overwrite')"
expect_eq "DELETE by another client without the token is refused" 423 "$(status DELETE "/dav/$(enc "$DOC")")"
expect_eq "MOVE by another client without the token is refused" 423 \
    "$(status MOVE "/dav/$(enc "$DOC")" -H "Destination: $KIROKU_URL/dav/$(enc 議事録/盗った.txt)")"
cmp -s "$W/総会メモ.txt" "$FILES/$DOC" || fail "a refused request changed the locked file"
echo "ok - the locked file is unchanged"
{
    echo "put $W/修正版.txt $DOC"
    echo "unlock $DOC"
    echo "quit"
} >&3
exec 3>&-
wait "$CADAVER_PID" || { cat "$W/locks.out" >&2; fail "cadaver lock session exited with an error"; }
expect_clean locks
expect_line locks "cadaver took the lock" "Locking \`$DOC': succeeded."
expect_line locks "cadaver released the lock" "Unlocking \`$DOC': succeeded."
cmp -s "$W/修正版.txt" "$FILES/$DOC" || fail "the lock holder's PUT did not land"
echo "ok - the lock holder could overwrite the file"
expect_eq "no lock is left after unlock" "" "$(lock_token "$DOC")"
versions=$(kiroku_cli versions list "/$DOC")
[[ $(grep -c . <<<"$versions") -eq 1 ]] || fail "expected one earlier version, got: $versions"
grep -q "$ORIG_SIZE bytes" <<<"$versions" || fail "the earlier version is not the original ($ORIG_SIZE bytes): $versions"
echo "ok - the overwritten content is kept as a version"

# --- 3. edit: cadaver locks, downloads, runs $EDITOR, uploads and unlocks --------------------
cat >"$W/editor.sh" <<'EOF'
#!/bin/sh
echo "追記: 次回は5月19日" >>"$1"
touch -d 2001-01-01 "$1"   # cadaver uploads only when the mtime changed
EOF
chmod +x "$W/editor.sh"
EDITOR="$W/editor.sh" cadaver_session edit <<EOF
edit $DOC
quit
EOF
expect_clean edit
expect_line edit "edit uploaded the change" "Uploading changes to"
expect_eq "edited content is on the server" "$(cat "$W/修正版.txt"; echo "追記: 次回は5月19日")" \
    "$(dav GET "/dav/$(enc "$DOC")")"
expect_eq "no lock is left after edit" "" "$(lock_token "$DOC")"
[[ $(kiroku_cli versions list "/$DOC" | grep -c .) -eq 2 ]] || fail "edit did not add a version"
echo "ok - edit added a version"

# --- 4. refusals cadaver shows to the user -----------------------------------------------------
other=$(dav LOCK "/dav/$(enc 議事録/令和6年度総会-改.txt)" -H 'Timeout: Second-120' -H 'Content-Type: application/xml' -D - \
    --data '<?xml version="1.0"?><lockinfo xmlns="DAV:"><lockscope><exclusive/></lockscope><locktype><write/></locktype><owner>別の役員</owner></lockinfo>' |
    tr -d '\r' | sed -n 's/^Lock-Token: <\(.*\)>$/\1/Ip')
[[ -n "$other" ]] || fail "curl could not lock 令和6年度総会-改.txt"
cadaver_session refusals <<EOF
mkcol 議事録
mkcol 議事録/Minutes
mkcol 議事録/minutes
mkcol 存在しない/子
put $W/mac.txt 議事録/a:b.txt
put $W/mac.txt 議事録/末尾の点.
put $W/mac.txt 議事録/令和6年度総会-改.txt
lock 議事録/令和6年度総会-改.txt
ls 議事録
quit
EOF
expect_refused refusals "mkcol of an existing folder is refused with 405" "Creating \`議事録': " 405
expect_line refusals "mkcol of a new folder succeeds" "Creating \`議事録/Minutes': succeeded."
expect_refused refusals "mkcol of a name differing only in case is refused with 409" "Creating \`議事録/minutes': " 409
expect_refused refusals "mkcol without a parent is refused with 409" "Creating \`存在しない/子': " 409
expect_refused refusals "put of a name with ':' is refused with 400" \
    "Uploading $W/mac.txt to \`/dav/$(cenc 議事録/a:b.txt)'" 400
expect_refused refusals "put of a name ending in '.' is refused with 400" \
    "Uploading $W/mac.txt to \`/dav/$(cenc 議事録/末尾の点.)'" 400
expect_refused refusals "put to a file locked by someone else is refused with 423" \
    "Uploading $W/mac.txt to \`/dav/$(cenc 議事録/令和6年度総会-改.txt)'" 423
expect_refused refusals "lock of a file locked by someone else is refused with 423" \
    "Locking \`議事録/令和6年度総会-改.txt': " 423
[[ ! -e "$FILES/議事録/minutes" && ! -e "$FILES/存在しない" && ! -e "$FILES/議事録/a:b.txt" && ! -e "$FILES/議事録/末尾の点." ]] ||
    fail "a refused request left something on disk: $(ls -a "$FILES" "$FILES/議事録")"
cmp -s "$W/総会メモ.txt" "$FILES/議事録/令和6年度総会-改.txt" || fail "a refused PUT changed the locked file"
echo "ok - refused requests changed nothing on disk"
expect_eq "the other client's UNLOCK succeeds" 204 \
    "$(status UNLOCK "/dav/$(enc 議事録/令和6年度総会-改.txt)" -H "Lock-Token: <$other>")"

# --- 5. delete and rmcol go to the trash; restore brings a file back --------------------------
cadaver_session delete <<EOF
delete 議事録/令和6年度総会-改.txt
rmcol 議事録/Minutes
ls 議事録
quit
EOF
expect_clean delete
[[ ! -e "$FILES/議事録/令和6年度総会-改.txt" && ! -e "$FILES/議事録/Minutes" ]] || fail "deleted items still on disk"
echo "ok - deleted file and folder are gone from files/"
listing=$(sed -n '/^Listing collection/,$p' "$W/delete.out")
grep -F "令和6年度総会.txt" <<<"$listing" >/dev/null || fail "ls after delete does not list the remaining file: $listing"
! grep -Eq "令和6年度総会-改\.txt|Minutes" <<<"$listing" || fail "ls still lists deleted items: $listing"
echo "ok - ls no longer lists the deleted items"
expect_eq "GET of the deleted file" 404 "$(status GET "/dav/$(enc 議事録/令和6年度総会-改.txt)")"
trash=$(kiroku_cli trash list)
grep -F "/議事録/令和6年度総会-改.txt" <<<"$trash" >/dev/null || fail "deleted file not in the trash: $trash"
grep -F "[folder] /議事録/Minutes" <<<"$trash" >/dev/null || fail "deleted folder not in the trash: $trash"
echo "ok - deleted file and folder are in the trash"
id=$(grep -F "/議事録/令和6年度総会-改.txt" <<<"$trash" | awk '{print $1}')
kiroku_cli trash restore "$id" >/dev/null
cmp -s "$W/総会メモ.txt" "$FILES/議事録/令和6年度総会-改.txt" || fail "trash restore did not bring the file back"
echo "ok - trash restore puts the file back on disk"
expect_eq "GET of the restored file" "$(cat "$W/総会メモ.txt")" "$(dav GET "/dav/$(enc 議事録/令和6年度総会-改.txt)")"
