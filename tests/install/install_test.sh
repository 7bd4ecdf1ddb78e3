#!/usr/bin/env bash
# Tests install/install.sh and install/uninstall.sh as a staged install (DESTDIR):
# the files land with the right modes, the unit passes `systemd-analyze verify`
# and an offline security review, a second run upgrades binaries but keeps the
# configuration and data, and uninstall removes binaries and unit but keeps
# /var/lib/kiroku and /etc/kiroku. Needs no root and touches nothing outside a
# temporary directory, which it removes.
#
#   tests/install/install_test.sh [BIN_DIR]
#
# BIN_DIR holds kirokud and kiroku (default: $KIROKU_BIN, else <repo>/build/bin).
# Prints "ok - ..." per check; exits non-zero on the first failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:-${KIROKU_BIN:-$repo/build/bin}}
install_sh=$repo/install/install.sh
uninstall_sh=$repo/install/uninstall.sh

fail() { echo "not ok - $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

[[ -x "$bin/kirokud" && -x "$bin/kiroku" ]] || fail "no kirokud/kiroku in $bin (build first, or pass the directory)"
bin=$(cd "$bin" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
log=$tmp/log

mode() { stat -c %a "$1"; }

run_install() {  # run_install DESTDIR ARGS...: install.sh, output in $log
    local dest=$1; shift
    DESTDIR=$dest "$install_sh" "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "install.sh $* exited non-zero"; }
}
run_uninstall() {
    local dest=$1; shift
    DESTDIR=$dest "$uninstall_sh" "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "uninstall.sh $* exited non-zero"; }
}

# --- refuses bad input and lays down nothing ---------------------------------
mkdir "$tmp/empty"
if DESTDIR=$tmp/refused "$install_sh" --bin-dir "$tmp/empty" >"$log" 2>&1; then
    fail "install.sh accepted a --bin-dir without binaries"
fi
[[ ! -e "$tmp/refused" ]] || fail "install.sh left files behind after refusing"
if DESTDIR=$tmp/refused "$install_sh" --bin-dir "$bin" --prefix relative/path >"$log" 2>&1; then
    fail "install.sh accepted a relative --prefix"
fi
if DESTDIR=$tmp/refused "$install_sh" --no-such-option >"$log" 2>&1; then
    fail "install.sh accepted an unknown option"
fi
ok "install.sh refuses missing binaries, a relative prefix and unknown options"

# --- staged install ------------------------------------------------------------
run_install "$root" --bin-dir "$bin"
for b in kirokud kiroku; do
    f=$root/usr/local/bin/$b
    [[ -x "$f" ]] || fail "$f not installed"
    cmp -s "$bin/$b" "$f" || fail "$f differs from $bin/$b"
    [[ $(mode "$f") == 755 ]] || fail "$f has mode $(mode "$f"), want 755"
done
ok "binaries installed to DESTDIR/usr/local/bin with mode 755"
[[ -x "$root/usr/local/lib/kiroku/kiroku-extract" ]] || fail "kiroku-extract not installed in lib/kiroku"
[[ $(ls "$root"/usr/local/lib/kiroku/plugins/libkiroku-*.so | wc -l) -eq $(ls "$bin"/plugins/libkiroku-*.so | wc -l) ]] ||
    fail "the extractor plugins were not all installed"
ok "the text-extraction worker and its plugins are installed in DESTDIR/usr/local/lib/kiroku"

unit=$root/etc/systemd/system/kirokud.service
[[ -f "$unit" ]] || fail "unit not installed at $unit"
[[ $(mode "$unit") == 644 ]] || fail "unit has mode $(mode "$unit"), want 644"
want_exec='ExecStart=/usr/local/bin/kirokud --data /var/lib/kiroku --config /etc/kiroku/kiroku.properties --listen-tls 0.0.0.0:8443'
grep -qxF "$want_exec" "$unit" || fail "unit lacks: $want_exec"
for line in User=kiroku Group=kiroku Restart=on-failure NoNewPrivileges=yes ProtectSystem=strict \
            ProtectHome=yes PrivateTmp=yes ReadWritePaths=/var/lib/kiroku WantedBy=multi-user.target; do
    grep -qxF "$line" "$unit" || fail "unit lacks: $line"
done
! grep -q '@[A-Z]*@' "$unit" || fail "unit has unsubstituted placeholders"
ok "unit installed with ExecStart, user, restart policy and hardening"

[[ -d "$root/var/lib/kiroku" && $(mode "$root/var/lib/kiroku") == 750 ]] || fail "data dir missing or not mode 750"
conf=$root/etc/kiroku/kiroku.properties
[[ -f "$conf" && $(mode "$conf") == 640 ]] || fail "config missing or not mode 640"
[[ $(mode "$root/etc/kiroku") == 750 ]] || fail "/etc/kiroku not mode 750"
[[ -f "$root/usr/local/share/doc/kiroku/admin-guide.md" ]] || fail "admin guide not installed"
ok "data dir (750), config (640) and admin guide laid down"

# The installed configuration lists every key kirokud reads (its own default file
# is never written under /etc, so install.sh carries a copy of the key list).
settings=$repo/server/core/Settings.cpp
if [[ -f "$settings" ]]; then
    mapfile -t keys < <(grep -oE '(c\.get[A-Za-z0-9]*|list)\((c, )?"[^"]+"' "$settings" | sed -E 's/.*"([^"]+)"$/\1/')
    [[ ${#keys[@]} -gt 0 ]] || fail "found no configuration keys in $settings"
    for k in "${keys[@]}"; do
        grep -qE "^#?$k = " "$conf" || fail "installed kiroku.properties lacks key $k (read in $settings)"
    done
    ok "installed kiroku.properties lists all ${#keys[@]} keys kirokud reads"
fi
link=$(readlink "$root/var/lib/kiroku/kiroku.properties" || true)
[[ "$link" == /etc/kiroku/kiroku.properties ]] || fail "the data directory's kiroku.properties does not link to /etc/kiroku (got '$link')"
ok "the data directory's kiroku.properties links to /etc/kiroku/kiroku.properties, so kiroku and kirokud agree"

# --- the unit as systemd sees it -------------------------------------------------
# `systemd-analyze --root` loads kirokud.service from DESTDIR/etc/systemd/system and
# checks that ExecStart's binary exists inside DESTDIR. It also needs the stock
# units (sysinit.target, ...) in that root, so borrow the host's for the check.
if command -v systemd-analyze >/dev/null; then
    sys_units=$(readlink -f /usr/lib/systemd/system)
    [[ -d "$sys_units" ]] || fail "no $sys_units to verify against"
    mkdir -p "$root/usr/lib/systemd"
    cp -a "$sys_units" "$root/usr/lib/systemd/system"
    # verify exits 0 on parse warnings ("Unknown key", "Failed to parse"), so any
    # message about our unit is a failure too.
    if ! systemd-analyze --root="$root" --man=no verify kirokud.service >"$log" 2>&1; then
        cat "$log" >&2; fail "systemd-analyze verify rejected the unit"
    fi
    if grep -i 'kirokud' "$log" >&2; then fail "systemd-analyze verify warned about the unit"; fi
    ok "systemd-analyze verify accepts the installed unit (ExecStart resolved in DESTDIR)"

    if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
        # Exposure is 0.0 (locked down) .. 10.0 (unprotected); the threshold is x10.
        if ! systemd-analyze --root="$root" security --offline=yes --threshold=30 kirokud.service >"$log" 2>&1; then
            grep -i 'exposure' "$log" >&2 || cat "$log" >&2
            fail "systemd-analyze security rates the unit above 3.0"
        fi
        ok "systemd-analyze security: $(grep -o 'exposure level.*' "$log" | head -n1)"
    fi
    rm -rf "$root/usr/lib/systemd"
else
    ok "# SKIP systemd-analyze not installed"
fi

# --- re-run: upgrade binaries, keep configuration and data ---------------------
echo "planted by install_test" >"$root/var/lib/kiroku/marker"
echo "http.allowRemote = false  # edited by the administrator" >>"$conf"
conf_sum=$(sha256sum <"$conf")
mkdir -p "$tmp/bin2/plugins"
cp "$bin/kiroku-extract" "$tmp/bin2/"
cp "$bin"/plugins/libkiroku-*.so "$tmp/bin2/plugins/"
for b in kirokud kiroku; do
    cp "$bin/$b" "$tmp/bin2/$b"
    printf '\n# upgraded\n' >>"$tmp/bin2/$b"   # a different file; never executed
done
run_install "$root" --bin-dir "$tmp/bin2"
for b in kirokud kiroku; do
    cmp -s "$tmp/bin2/$b" "$root/usr/local/bin/$b" || fail "$b not upgraded by the second run"
done
[[ $(sha256sum <"$conf") == "$conf_sum" ]] || fail "second run changed the configuration"
[[ -f "$root/var/lib/kiroku/marker" ]] || fail "second run lost the data marker"
grep -qi 'kept' "$log" || fail "second run did not say the configuration was kept"
ok "second run upgrades binaries and keeps configuration and data"

# --- uninstall -----------------------------------------------------------------
run_uninstall "$root"
for f in usr/local/bin/kirokud usr/local/bin/kiroku etc/systemd/system/kirokud.service \
         usr/local/share/doc/kiroku/admin-guide.md; do
    [[ ! -e "$root/$f" ]] || fail "uninstall left /$f"
done
ok "uninstall removes binaries, unit and guide"
[[ $(cat "$root/var/lib/kiroku/marker") == "planted by install_test" ]] || fail "uninstall removed data"
[[ $(sha256sum <"$conf") == "$conf_sum" ]] || fail "uninstall removed or changed the configuration"
grep -q '/var/lib/kiroku' "$log" || fail "uninstall did not say the data is kept"
ok "uninstall keeps /var/lib/kiroku and /etc/kiroku and says so"
run_uninstall "$root"
ok "uninstall is harmless when run twice"

# --- another prefix -----------------------------------------------------------------
root2=$tmp/root2
run_install "$root2" --prefix /opt/kiroku --bin-dir "$bin"
[[ -x "$root2/opt/kiroku/bin/kirokud" && -x "$root2/opt/kiroku/bin/kiroku" ]] || fail "--prefix /opt/kiroku: binaries not in /opt/kiroku/bin"
grep -q '^ExecStart=/opt/kiroku/bin/kirokud ' "$root2/etc/systemd/system/kirokud.service" || fail "--prefix not applied to ExecStart"
run_uninstall "$root2" --prefix /opt/kiroku
[[ ! -e "$root2/opt/kiroku/bin/kirokud" && ! -e "$root2/etc/systemd/system/kirokud.service" ]] || fail "uninstall --prefix left files"
[[ -f "$root2/etc/kiroku/kiroku.properties" ]] || fail "uninstall --prefix removed the configuration"
ok "--prefix applies to binaries, ExecStart and uninstall"

echo "all install tests passed"
