#!/usr/bin/env bash
# Installs Kiroku (kirokud and the kiroku admin CLI) on a Debian-based NAS as the
# systemd service kirokud.service, running as the unprivileged system user kiroku.
#
#   sudo install/install.sh [--prefix PREFIX] [--bin-dir DIR]
#
#   --prefix PREFIX  binaries go to PREFIX/bin (default /usr/local)
#   --bin-dir DIR    where to take kirokud and kiroku from (default <repo>/build/bin)
#   DESTDIR=/tmp/x   staged install: only lay down files under /tmp/x; no user,
#                    no chown, no systemctl (for packaging and tests)
#
# Lays down:
#   PREFIX/bin/kirokud, PREFIX/bin/kiroku
#   PREFIX/share/doc/kiroku/admin-guide.md
#   /etc/systemd/system/kirokud.service
#   /etc/kiroku/kiroku.properties     (only if missing: configuration is kept)
#   /var/lib/kiroku/                  (data, mode 0750, owner kiroku; kept; kiroku init
#                                     makes its meta.db unless DESTDIR is set)
#
# Running it again upgrades the binaries and the unit, keeps configuration and
# data, and restarts the service if it was running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

prefix=/usr/local
bin_dir="$repo/build/bin"
destdir=${DESTDIR:-}

service=kirokud.service
service_user=kiroku
data_dir=/var/lib/kiroku
conf_dir=/etc/kiroku
conf_file=$conf_dir/kiroku.properties
unit_dir=/etc/systemd/system
https_port=8443

die() { echo "install.sh: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --bin-dir) [[ $# -ge 2 ]] || die "--bin-dir needs a directory"; bin_dir=$2; shift 2 ;;
        --bin-dir=*) bin_dir=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

[[ "$prefix" == /* ]] || die "--prefix must be an absolute path: $prefix"
prefix=${prefix%/}
[[ -n "$prefix" ]] || die "--prefix must not be /"
[[ -z "$destdir" || "$destdir" == /* ]] || die "DESTDIR must be an absolute path: $destdir"
destdir=${destdir%/}

for b in kirokud kiroku kiroku-extract; do
    [[ -x "$bin_dir/$b" ]] || die "$bin_dir/$b not found or not executable (run 'make build' first, or pass --bin-dir)"
done
if [[ -z "$destdir" && $(id -u) -ne 0 ]]; then
    die "must run as root (try: sudo $0), or set DESTDIR for a staged install"
fi

bindir=$prefix/bin
docdir=$prefix/share/doc/kiroku

# Unit first into a temporary file, so a failed substitution never leaves a
# half-written unit behind.
unit_tmp=$(mktemp)
trap 'rm -f "$unit_tmp"' EXIT
sed -e "s|@BINDIR@|$bindir|g" -e "s|@DOCDIR@|$docdir|g" "$here/kirokud.service.in" >"$unit_tmp"
if grep -q '@[A-Z]*@' "$unit_tmp"; then die "unsubstituted placeholder in kirokud.service.in"; fi

was_active=no
if [[ -z "$destdir" ]]; then
    if ! getent group "$service_user" >/dev/null; then
        groupadd --system "$service_user"
    fi
    if ! getent passwd "$service_user" >/dev/null; then
        useradd --system --gid "$service_user" --home-dir "$data_dir" --no-create-home \
            --shell /usr/sbin/nologin --comment "Kiroku document server" "$service_user"
        echo "Created system user $service_user."
    fi
    if systemctl is-active --quiet "$service" 2>/dev/null; then was_active=yes; fi
fi

# Binaries: install(1) unlinks the old file first, so a running kirokud is not
# disturbed until the restart below.
install -d -m 0755 "$destdir$bindir" "$destdir$docdir" "$destdir$unit_dir"
install -m 0755 "$bin_dir/kirokud" "$destdir$bindir/kirokud"
install -m 0755 "$bin_dir/kiroku" "$destdir$bindir/kiroku"
# The text-extraction worker and its plugins (kirokud looks in PREFIX/lib/kiroku).
libdir=$prefix/lib/kiroku
install -d -m 0755 "$destdir$libdir/plugins"
install -m 0755 "$bin_dir/kiroku-extract" "$destdir$libdir/kiroku-extract"
rm -f "$destdir$libdir"/plugins/libkiroku-*.so
for plugin in "$bin_dir"/plugins/libkiroku-*.so; do
    install -m 0644 "$plugin" "$destdir$libdir/plugins/"
done
if [[ -f "$repo/docs/admin-guide.md" ]]; then
    install -m 0644 "$repo/docs/admin-guide.md" "$destdir$docdir/admin-guide.md"
fi
install -m 0644 "$unit_tmp" "$destdir$unit_dir/$service"
echo "Installed $destdir$bindir/kirokud, $destdir$bindir/kiroku and $destdir$unit_dir/$service."

# Data directory: created if missing, never emptied. Only the top directory's
# owner and mode are set; its contents belong to the service already.
install -d -m 0750 "$destdir$data_dir"
chmod 0750 "$destdir$data_dir"
if [[ -z "$destdir" ]]; then chown "$service_user:$service_user" "$destdir$data_dir"; fi
# kirokud (with --config) and the kiroku command (with --data only) read the same file.
if [[ ! -e "$destdir$data_dir/kiroku.properties" && ! -L "$destdir$data_dir/kiroku.properties" ]]; then
    ln -s "$conf_file" "$destdir$data_dir/kiroku.properties"
fi

# Configuration: root owns it, the service may only read it. An existing file is
# never overwritten.
install -d -m 0750 "$destdir$conf_dir"
if [[ ! -e "$destdir$conf_file" ]]; then
    # kiroku prints kirokud's own commented defaults, so this file never drifts from them.
    {
        cat <<EOF
# Created by install.sh, which never overwrites it. After a change: sudo systemctl restart $service
# The service's command line (sudo systemctl cat $service) sets the HTTPS address
# with --listen-tls, which overrides https.listen here. To change it, use a
# drop-in: sudo systemctl edit $service
#
EOF
        "$bin_dir/kiroku" defaults
    } >"$destdir$conf_file"
    chmod 0640 "$destdir$conf_file"
    echo "Created $destdir$conf_file."
else
    echo "Kept existing $destdir$conf_file."
fi
if [[ -z "$destdir" ]]; then
    chown "root:$service_user" "$destdir$conf_dir" "$destdir$conf_file"
fi

if [[ -n "$destdir" ]]; then
    echo "Staged install into $destdir: no user created, no service enabled."
    exit 0
fi

# The data directory's meta.db, made now (as the service's user) rather than at the
# service's first start, so that the kiroku command works at once: it never makes a data
# directory itself. On an existing data directory this changes nothing.
runuser -u "$service_user" -- "$bindir/kiroku" --data "$data_dir" init >/dev/null

if [[ ! -d /run/systemd/system ]]; then
    echo "systemd is not running on this machine: files are installed, but the service was not started." >&2
    echo "Start it by hand with: $bindir/kirokud --data $data_dir --config $conf_file" >&2
    exit 0
fi

systemctl daemon-reload
systemctl enable --now "$service"
if [[ $was_active == yes ]]; then
    systemctl restart "$service"
    echo "Restarted $service with the new binaries."
fi

# enable --now returns once kirokud is executed; give it a moment to fail on a
# bad configuration or an unwritable data directory before claiming success.
sleep 3
if ! systemctl is-active --quiet "$service"; then
    echo "install.sh: $service did not stay running. See: journalctl -u $service -n 50" >&2
    exit 1
fi

host=$(hostname -f 2>/dev/null || hostname)
addrs=$(hostname -I 2>/dev/null || true)
cli=kiroku
case "$bindir" in /usr/local/bin|/usr/bin|/bin) ;; *) cli=$bindir/kiroku ;; esac

cat <<EOF

Kiroku is running (systemctl status $service).
  Web and WebDAV:  https://$host:$https_port/
EOF
for a in $addrs; do
    [[ "$a" == *:* ]] && continue
    echo "                   https://$a:$https_port/"
done
cat <<EOF
  Data:            $data_dir   (kept by uninstall.sh)
  Configuration:   $conf_file
  Log:             journalctl -u $service

The server uses a self-signed certificate. Compare its SHA-256 fingerprint
with what each PC shows before trusting it; it is in the log:
  journalctl -u $service | grep -i fingerprint
EOF
fingerprint=$(journalctl -u "$service" --no-pager -q 2>/dev/null | grep -i fingerprint | tail -n 1 || true)
if [[ -n "$fingerprint" ]]; then echo "  ${fingerprint#*]: }"; fi
cat <<EOF

No user exists yet. Create the first administrator with:
  sudo -u $service_user $cli --data $data_dir user add NAME --display "山田 太郎"
EOF
