#!/usr/bin/env bash
# End-to-end: rclone's webdav backend (vendor "other") against a real kirokud.
# The remote is defined only through RCLONE_CONFIG_KIROKU_* environment variables and an
# empty temporary config file, so the test never reads or writes the user's rclone.conf.
#
# Covered: copy of a tree with Japanese names, nested and empty folders, an empty file, a
# macOS-style NFD name and a 5 MB file; ls/lsf against the local tree; check in both
# directions (by content, since Kiroku offers no hash); sync of a changed file (new content
# served, the old one kept as a version) and of a deleted file (moved to the trash);
# HTTPS with the self-signed certificate (refused without --ca-cert, works with it);
# server-side moveto/copyto; delete and purge of folders; refusals (case-only clash);
# copyto back to local with md5sum comparison.
#
# Note: with vendor "other" rclone cannot send modification times and Kiroku offers no
# hash, so rclone compares by size only; the "changed file" below changes size on purpose.
# The last section uses vendor "owncloud" (X-OC-Mtime), where a same-size edit is seen.
source "$(dirname "$0")/lib.sh"

command -v rclone >/dev/null || fail "rclone is not installed (apt-get install rclone)"
command -v python3 >/dev/null || fail "python3 is needed"

kiroku_start
FILES="$KIROKU_DATA/files"
W="$KIROKU_TMP/work"
mkdir -p "$W"

export RCLONE_CONFIG="$KIROKU_TMP/rclone.conf"
: >"$RCLONE_CONFIG"
: >"$W/rclone.log"
export RCLONE_CONFIG_KIROKU_TYPE=webdav
export RCLONE_CONFIG_KIROKU_URL="$KIROKU_URL/dav/"
export RCLONE_CONFIG_KIROKU_VENDOR=other
export RCLONE_CONFIG_KIROKU_USER="$KIROKU_USER"
RCLONE_CONFIG_KIROKU_PASS=$(rclone obscure "$KIROKU_PASS")
export RCLONE_CONFIG_KIROKU_PASS
# The same account over HTTPS (the office LAN address), with the self-signed certificate.
export RCLONE_CONFIG_KIROKUTLS_TYPE=webdav
export RCLONE_CONFIG_KIROKUTLS_URL="$KIROKU_TLS_URL/dav/"
export RCLONE_CONFIG_KIROKUTLS_VENDOR=other
export RCLONE_CONFIG_KIROKUTLS_USER="$KIROKU_USER"
export RCLONE_CONFIG_KIROKUTLS_PASS="$RCLONE_CONFIG_KIROKU_PASS"
export RCLONE_CACHE_DIR="$KIROKU_TMP/rclone-cache"
unset RCLONE_PASSWORD_COMMAND RCLONE_CONFIG_PASS

# rc ARGS...: rclone with fast failure; its log goes to $W/rclone.log.
rc() {
    echo "+ rclone $*" >>"$W/rclone.log"
    rclone --low-level-retries 1 --retries 1 --contimeout 5s --timeout 30s "$@" 2>>"$W/rclone.log"
}
# log_mark / log_since MARK: the rclone log written after the mark.
log_mark() { wc -l <"$W/rclone.log"; }
log_since() { tail -n +"$(($1 + 1))" "$W/rclone.log"; }
# rc_ok WHAT ARGS...: rclone must succeed.
rc_ok() {
    local what=$1; shift
    rc "$@" || { tail -n 30 "$W/rclone.log" >&2; fail "$what: rclone $* failed"; }
    echo "ok - $what"
}
# tree DIR: the sorted list of files and folders below DIR, folders with a trailing '/'.
tree() { (cd "$1" && find . -mindepth 1 \( -type d -printf '%P/\n' -o -printf '%P\n' \) | LC_ALL=C sort); }
# sizes DIR: "SIZE PATH" for every file below DIR, sorted by path.
sizes() { (cd "$1" && find . -type f -printf '%s %P\n' | LC_ALL=C sort -k2); }
# md5tree DIR: "MD5 PATH" for every file below DIR, paths in NFC, sorted.
md5tree() {
    python3 - "$1" <<'PY'
import hashlib, os, sys, unicodedata
root = sys.argv[1]
rows = []
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        with open(p, "rb") as fh:
            digest = hashlib.md5(fh.read()).hexdigest()
        rows.append((unicodedata.normalize("NFC", os.path.relpath(p, root)), digest))
for path, digest in sorted(rows):
    print(digest, path)
PY
}
nfc() { python3 -c 'import sys, unicodedata; print(unicodedata.normalize("NFC", sys.argv[1]))' "$1"; }
nfd() { python3 -c 'import sys, unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]))' "$1"; }

# --- the local tree --------------------------------------------------------------------------
SRC="$W/src"
mkdir -p "$SRC/議事録/令和6年度" "$SRC/議事録/令和5年度" "$SRC/会計/領収書" "$SRC/空のフォルダ" "$SRC/様式・申請書"
printf '令和6年度 定期総会 議事録\n議題: 防犯灯の更新、𠮷田さんの会計報告\n' >"$SRC/議事録/令和6年度/定期総会.txt"
printf '令和5年度 役員会 議事録\n' >"$SRC/議事録/令和5年度/役員会.txt"
printf '回覧板の順番\n' >"$SRC/議事録/回覧.txt"
: >"$SRC/会計/領収書/空.txt"
head -c 5242880 /dev/urandom >"$SRC/会計/令和6年度 決算書.bin"
printf 'テンプレート\n' >"$SRC/様式・申請書/$(nfd 工事申請書（ガードレール）.txt)"
printf 'ascii name\n' >"$SRC/README.txt"

# --- copy up and compare -------------------------------------------------------------------
start=$SECONDS
rc_ok "rclone copy of a Japanese tree with a 5 MB file" copy --create-empty-src-dirs "$SRC" kiroku:共有
echo "  (copy took $((SECONDS - start)) s)"
expect_eq "files/ holds the same tree (names in NFC)" "$(nfc "$(tree "$SRC")")" "$(tree "$FILES/共有")"
expect_eq "files/ holds the same sizes" "$(nfc "$(sizes "$SRC")")" "$(sizes "$FILES/共有")"
for f in 議事録/令和6年度/定期総会.txt "会計/令和6年度 決算書.bin" 会計/領収書/空.txt; do
    cmp -s "$SRC/$f" "$FILES/共有/$f" || fail "bytes of $f differ on disk"
done
echo "ok - bytes on disk equal the local files"
[[ -f "$FILES/共有/様式・申請書/$(nfc 工事申請書（ガードレール）.txt)" ]] || fail "NFD name not stored as NFC"
echo "ok - an NFD name is stored in NFC"

remote_ls=$(rc ls kiroku:共有 | awk '{s=$1; sub(/^ *[0-9]+ /, ""); print s, $0}' | LC_ALL=C sort -k2)
expect_eq "rclone ls lists every file with its size" "$(nfc "$(sizes "$SRC")")" "$remote_ls"
remote_lsf=$(rc lsf -R kiroku:共有 | LC_ALL=C sort)
expect_eq "rclone lsf -R lists every file and folder (empty folder too)" "$(nfc "$(tree "$SRC")")" "$remote_lsf"
rc_ok "rclone check local → server, by content" check --download "$SRC" kiroku:共有
rc_ok "rclone check server → local, by content" check --download kiroku:共有 "$SRC"
rc_ok "rclone check by size" check --size-only "$SRC" kiroku:共有

# Over HTTPS: refused until the server's own certificate is given as the CA (docs/mounting.md).
mark=$(log_mark)
if rc lsf kirokutls:共有 >/dev/null; then fail "rclone accepted the self-signed certificate without --ca-cert"; fi
log_since "$mark" | grep -q "x509" || { log_since "$mark" >&2; fail "no certificate error from rclone"; }
echo "ok - rclone over HTTPS refuses the untrusted self-signed certificate"
expect_eq "rclone over HTTPS with --ca-cert lists the same tree" "$remote_lsf" \
    "$(rc --ca-cert "$KIROKU_DATA/tls/server.crt" lsf -R kirokutls:共有 | LC_ALL=C sort)"

# A second copy transfers nothing and makes no versions.
mark=$(log_mark)
rc copy -v --create-empty-src-dirs "$SRC" kiroku:共有 || fail "second copy failed"
log_since "$mark" | grep -q "There was nothing to transfer" || { log_since "$mark" >&2; fail "second copy transferred something"; }
[[ -z "$(kiroku_cli versions list "/共有/議事録/令和6年度/定期総会.txt")" ]] || fail "second copy made a version"
echo "ok - a second copy transfers nothing"

# --- sync a changed file: new content on the server, old content in versions ----------------
DOC=議事録/令和6年度/定期総会.txt
old_size=$(stat -c %s "$SRC/$DOC")
cp "$SRC/$DOC" "$W/old.txt"
printf '令和6年度 定期総会 議事録（修正版）\n議題: 防犯灯の更新（三基）、𠮷田さんの会計報告\n' >"$SRC/$DOC"
rc_ok "rclone sync of a changed file" sync --create-empty-src-dirs "$SRC" kiroku:共有
cmp -s "$SRC/$DOC" "$FILES/共有/$DOC" || fail "server does not have the new content"
rc cat "kiroku:共有/$DOC" >"$W/got.txt" || fail "rclone cat failed"
cmp -s "$SRC/$DOC" "$W/got.txt" || fail "rclone cat does not return the new content"
echo "ok - the server serves the new content"
versions=$(kiroku_cli versions list "/共有/$DOC")
[[ $(grep -c . <<<"$versions") -eq 1 ]] || fail "expected one earlier version, got: $versions"
grep -q "$old_size bytes" <<<"$versions" || fail "earlier version is not the old content ($old_size bytes): $versions"
echo "ok - the old content is kept as a version"

# --- sync a deleted file: gone from files/, present in the trash ------------------------------
rm "$SRC/議事録/回覧.txt"
rc_ok "rclone sync of a deleted file" sync --create-empty-src-dirs "$SRC" kiroku:共有
[[ ! -e "$FILES/共有/議事録/回覧.txt" ]] || fail "deleted file still in files/"
echo "ok - the deleted file is gone from files/"
kiroku_cli trash list | grep -F "/共有/議事録/回覧.txt" >/dev/null || fail "deleted file not in the trash: $(kiroku_cli trash list)"
echo "ok - the deleted file is in the trash"
rc_ok "rclone check after sync" check --download "$SRC" kiroku:共有

# --- server-side moveto / copyto ----------------------------------------------------------------
rc_ok "rclone moveto (server-side MOVE) into another folder" \
    moveto "kiroku:共有/議事録/令和5年度/役員会.txt" "kiroku:共有/議事録/令和6年度/役員会（前年度）.txt"
[[ ! -e "$FILES/共有/議事録/令和5年度/役員会.txt" && -f "$FILES/共有/議事録/令和6年度/役員会（前年度）.txt" ]] ||
    fail "moveto did not move the file on disk"
echo "ok - moveto moved the file on disk"
rc_ok "rclone copyto (server-side COPY)" copyto "kiroku:共有/README.txt" "kiroku:共有/様式・申請書/README-写し.txt"
cmp -s "$SRC/README.txt" "$FILES/共有/様式・申請書/README-写し.txt" || fail "copyto result differs"
echo "ok - copyto copied the bytes"

# --- refusals reach rclone as errors and change nothing -----------------------------------------
mkdir -p "$W/clash"
printf 'case clash\n' >"$W/clash/readme.txt"
mark=$(log_mark)
if rc copy "$W/clash" kiroku:共有; then fail "copy of readme.txt next to README.txt succeeded"; fi
log_since "$mark" | grep -q "409" || fail "rclone did not report 409 for a case-only clash"
[[ ! -e "$FILES/共有/readme.txt" ]] && cmp -s "$SRC/README.txt" "$FILES/共有/README.txt" ||
    fail "the refused upload changed files/"
echo "ok - a name differing only in case is refused (409) and changes nothing"

# --- delete and purge -----------------------------------------------------------------------------
rc_ok "rclone delete of a folder's files" delete kiroku:共有/議事録
[[ -d "$FILES/共有/議事録/令和6年度" && -z "$(find "$FILES/共有/議事録" -type f)" ]] ||
    fail "delete should remove the files and keep the folders: $(find "$FILES/共有/議事録")"
echo "ok - delete removed the files and kept the folders"
kiroku_cli trash list | grep -F "/共有/議事録/令和6年度/定期総会.txt" >/dev/null || fail "deleted file not in the trash"
echo "ok - files removed by delete are in the trash"
rc_ok "rclone purge of a folder" purge kiroku:共有/議事録
[[ ! -e "$FILES/共有/議事録" ]] || fail "purged folder still in files/"
echo "ok - the purged folder is gone from files/"
kiroku_cli trash list | grep -F "[folder] /共有/議事録" >/dev/null || fail "purged folder not in the trash: $(kiroku_cli trash list)"
echo "ok - the purged folder is in the trash"
listing=$(rc lsf kiroku:共有) || fail "rclone lsf failed"
! grep -q '議事録' <<<"$listing" || fail "rclone still lists the purged folder"
echo "ok - rclone no longer lists the purged folder"

# --- copy back and compare checksums -----------------------------------------------------------
BIG="会計/令和6年度 決算書.bin"
rc_ok "rclone copyto of the 5 MB file back to local" copyto "kiroku:共有/$BIG" "$W/back/決算書.bin"
expect_eq "md5sum of the 5 MB file after the round trip" \
    "$(md5sum <"$SRC/$BIG")" "$(md5sum <"$W/back/決算書.bin")"
rc_ok "rclone copy of the whole tree back to local" copy kiroku:共有 "$W/back/tree"
expect_eq "md5sums of the tree copied back (names in NFC)" \
    "$(md5tree "$SRC" | grep -v ' 議事録/')" "$(md5tree "$W/back/tree" | grep -v '/README-写し.txt$')"

# --- vendor owncloud: modification times kept (X-OC-Mtime), so a same-size edit is seen ---
export RCLONE_CONFIG_KIROKUOC_TYPE=webdav
export RCLONE_CONFIG_KIROKUOC_URL="$KIROKU_URL/dav/"
export RCLONE_CONFIG_KIROKUOC_VENDOR=owncloud
export RCLONE_CONFIG_KIROKUOC_USER="$KIROKU_USER"
export RCLONE_CONFIG_KIROKUOC_PASS="$RCLONE_CONFIG_KIROKU_PASS"
mkdir -p "$W/oc"
printf 'one\n' >"$W/oc/memo.txt"
touch -d '2024-04-01 09:00:00 UTC' "$W/oc/memo.txt"
rc_ok "rclone (owncloud vendor) copy" copy "$W/oc" kirokuoc:oc
expect_eq "the server keeps the client's modification time" "$(stat -c %Y "$W/oc/memo.txt")" "$(stat -c %Y "$FILES/oc/memo.txt")"
printf 'two\n' >"$W/oc/memo.txt"
rc_ok "rclone (owncloud vendor) sync after a same-size edit" sync "$W/oc" kirokuoc:oc
expect_eq "the same-size edit reached the server" "two" "$(cat "$FILES/oc/memo.txt")"
about=$(rc about kirokuoc: 2>&1) || fail "rclone about failed: $about"
grep -qi 'free' <<<"$about" || fail "rclone about shows no free space: $about"
echo "ok - rclone about reports free space (RFC 4331 quota properties)"

