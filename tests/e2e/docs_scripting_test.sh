#!/usr/bin/env bash
# The scripting section of docs/mounting.md (§6, between its "scripting" markers), run as
# written against a real kirokud over TLS: the certificate saved and its fingerprint
# checked, curl with --cacert and ~/.netrc uploading, listing, downloading and searching a
# file named in Japanese with spaces, and cadaver scripted after the documented trust step.
# The only stand-ins: nas.local:8443 is the test server's TLS address, and the trust step
# (sudo install … /usr/local/share/ca-certificates, update-ca-certificates) writes a
# private copy of the system's list, which cadaver then sees in a mount namespace of its
# own (unshare -m), so the machine's own trust is never changed.
source "$(dirname "$0")/lib.sh"

for tool in cadaver openssl unshare python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[[ $(id -u) == 0 ]] || fail "cadaver's trust step needs a mount namespace (run as root, as CI does)"
DOC="$(dirname "$0")/../../docs/mounting.md"
[[ -f "$DOC" ]] || fail "no $DOC"

kiroku_start
W="$KIROKU_TMP/work"
mkdir -p "$W/home" "$W/ca"
# The guide's login: yamada, 区長 of 桜ヶ丘自治区, no administrator (top-level folders are
# the organisations', so the examples must work inside one).
kiroku_cli org add みどり市 --kind city >/dev/null
kiroku_cli org add 東山地区 --kind district --parent みどり市 >/dev/null
kiroku_cli org add 桜ヶ丘自治区 --kind association --parent 東山地区 >/dev/null
printf 'sakura-kucho-1\n' | kiroku_cli user add yamada --display '山田 太郎' >/dev/null
kiroku_cli role assign yamada 区長 桜ヶ丘自治区 --from 2020-04-01 --open >/dev/null
printf 'machine 127.0.0.1\nlogin yamada\npassword sakura-kucho-1\n' >"$W/home/.netrc"
chmod 600 "$W/home/.netrc"

# The ```sh blocks between the markers, the address replaced.
python3 - "$DOC" "127.0.0.1:$KIROKU_TLS_PORT" >"$W/script.sh" <<'PY' || fail "cannot read the scripting section"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = re.search(r"<!-- scripting: begin -->(.*?)<!-- scripting: end -->", text, re.S)
if not section:
    sys.exit("no scripting markers")
blocks = re.findall(r"```sh\n(.*?)```", section.group(1), re.S)
if len(blocks) < 5:
    sys.exit("expected at least 5 sh blocks, found %d" % len(blocks))
print("\n".join(b.replace("nas.local:8443", sys.argv[2]) for b in blocks))
PY
grep -q "curl" "$W/script.sh" && grep -q "cadaver" "$W/script.sh" || fail "the section lost its commands"

cat >"$W/standins.sh" <<EOF
set -euo pipefail
# The trust step, on a private copy of the system's list.
sudo() {
    case "\$1" in
        install) cp "\${@: -2:1}" "$W/ca/\$(basename "\${@: -1}")" ;;
        update-ca-certificates) cat /etc/ssl/certs/ca-certificates.crt "$W"/ca/*.crt >"$W/bundle.pem" ;;
        *) echo "unexpected sudo \$*" >&2; return 1 ;;
    esac
}
# cadaver, seeing that list as the system's.
cadaver() {
    unshare -m bash -c 'mount --bind "\$0" /etc/ssl/certs/ca-certificates.crt && exec cadaver "\$@"' \
        "$W/bundle.pem" "\$@"
}
EOF
(cd "$W" && HOME="$W/home" timeout 120 bash -c "source '$W/standins.sh'; source '$W/script.sh'") \
    >"$W/out.txt" 2>"$W/err.txt" || { cat "$W/out.txt" "$W/err.txt" >&2; fail "the documented commands failed"; }

# The fingerprint the docs print is kirokud's.
logged=$(grep -o 'fingerprint: [0-9A-F:]*' "$KIROKU_TMP/server.log" | head -n 1 | cut -d' ' -f2)
[[ -n "$logged" ]] || fail "kirokud logged no fingerprint"
grep -q "Fingerprint=$logged" "$W/out.txt" || fail "the docs' fingerprint is not kirokud's ($logged): $(cat "$W/out.txt")"
echo "ok - the saved certificate's fingerprint is the one kirokud printed"
# Its names in the order the docs give (a client such as cadaver shows the last of a kind).
names=$(grep -A1 'Subject Alternative Name' "$W/out.txt" | tail -n 1 | tr -d ' ')
[[ "$names" =~ ^DNS:localhost(,DNS:[^,]+,DNS:[^,]+\.local)?,IPAddress:127\.0\.0\.1(,IPAddress:[0-9.]+)*$ ]] ||
    fail "the certificate's names are not in the documented order: $names"
echo "ok - the certificate's names: localhost, the NAS's names, 127.0.0.1, its addresses"

NAME="令和8年度 第3回役員会 議事録.txt"
[[ -f "$KIROKU_DATA/files/桜ヶ丘自治区/議事録/$NAME" ]] || fail "curl's upload is not on disk as '$NAME'"
cmp -s "$W/$NAME" "$KIROKU_DATA/files/桜ヶ丘自治区/議事録/$NAME" || fail "the uploaded content differs"
cmp -s "$W/$NAME" "$W/議事録.txt" || fail "the downloaded content differs"
grep -qF '<D:href>/dav/桜ヶ丘自治区/議事録/令和8年度 第3回役員会 議事録.txt</D:href>' "$W/out.txt" ||
    fail "the listing does not show the file's name decoded: $(cat "$W/out.txt")"
echo "ok - curl uploads, lists (names decoded) and downloads a Japanese name with spaces, with --cacert and ~/.netrc"

# The index catches up with an upload within a moment: the documented search, as written,
# until it finds the file.
found=0
for _ in $(seq 50); do
    (cd "$W" && HOME="$W/home" bash -c "KIROKU=https://127.0.0.1:$KIROKU_TLS_PORT; $(grep -- '/api/search' "$W/script.sh")") \
        >"$W/search.txt" 2>&1 || fail "the documented search failed: $(cat "$W/search.txt")"
    if grep -q '桜ヶ丘自治区/議事録/令和8年度 第3回役員会 議事録.txt' "$W/search.txt"; then found=1; break; fi
    sleep 0.2
done
[[ $found == 1 ]] || fail "the documented search does not find the file: $(cat "$W/search.txt")"
echo "ok - the documented search finds it"

grep -q "Certificate rejected\|not trusted" "$W/out.txt" "$W/err.txt" && fail "cadaver rejected the trusted certificate: $(cat "$W/out.txt")"
grep -q "令和8年度 第3回役員会 議事録.txt" "$W/out.txt" || fail "cadaver's ls does not show the file: $(cat "$W/out.txt")"
cmp -s "$W/$NAME" "$W/コピー.txt" || fail "cadaver's get did not fetch the file: $(cat "$W/out.txt")"
echo "ok - cadaver, scripted after the trust step, lists and fetches it"
echo "all passed"
