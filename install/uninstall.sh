#!/usr/bin/env bash
# Removes what install/install.sh installed: stops and disables kirokud.service,
# deletes the binaries, the unit and the installed guide.
#
#   sudo install/uninstall.sh [--prefix PREFIX]
#
#   --prefix PREFIX  the prefix given to install.sh (default /usr/local)
#   DESTDIR=/tmp/x   remove from a staged install under /tmp/x; no systemctl
#
# Keeps the documents and metadata in /var/lib/kiroku, the configuration in
# /etc/kiroku and the system user kiroku that owns them. Re-installing later
# picks them up unchanged; delete them by hand only when the data is no longer
# needed (and backed up).
set -euo pipefail

prefix=/usr/local
destdir=${DESTDIR:-}

service=kirokud.service
service_user=kiroku
data_dir=/var/lib/kiroku
conf_dir=/etc/kiroku
unit_dir=/etc/systemd/system

die() { echo "uninstall.sh: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

[[ "$prefix" == /* ]] || die "--prefix must be an absolute path: $prefix"
prefix=${prefix%/}
[[ -n "$prefix" ]] || die "--prefix must not be /"
[[ -z "$destdir" || "$destdir" == /* ]] || die "DESTDIR must be an absolute path: $destdir"
destdir=${destdir%/}
if [[ -z "$destdir" && $(id -u) -ne 0 ]]; then
    die "must run as root (try: sudo $0), or set DESTDIR for a staged install"
fi

bindir=$prefix/bin
docdir=$prefix/share/doc/kiroku
systemd_running=no
[[ -z "$destdir" && -d /run/systemd/system ]] && systemd_running=yes

if [[ $systemd_running == yes ]]; then
    # disable --now stops the service too; both are harmless if it is already gone.
    systemctl disable --now "$service" 2>/dev/null || true
fi

rm -rf "$destdir$prefix/lib/kiroku"
rm -f "$destdir$unit_dir/$service" \
      "$destdir$bindir/kirokud" \
      "$destdir$bindir/kiroku" \
      "$destdir$docdir/admin-guide.md"
rmdir "$destdir$docdir" 2>/dev/null || true

if [[ $systemd_running == yes ]]; then
    systemctl daemon-reload
    systemctl reset-failed "$service" 2>/dev/null || true
fi

echo "Removed $service, $bindir/kirokud and $bindir/kiroku${destdir:+ (under $destdir)}."
cat <<EOF
Kept (delete by hand only if the documents are no longer needed and backed up):
  $destdir$data_dir   documents, versions, trash, metadata, TLS certificate
  $destdir$conf_dir       configuration
EOF
if [[ -z "$destdir" ]]; then
    echo "  system user $service_user (owns $data_dir; remove with: sudo userdel $service_user)"
fi
