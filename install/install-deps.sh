#!/usr/bin/env bash
# Installs the Debian packages listed in install/debian-packages.txt that are not
# installed yet, and Debian's nodejs and npm when there is no npm. Uses sudo when not run
# as root. Does nothing when all are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -v '^\s*#' "$here/debian-packages.txt" | awk 'NF {print $1}')
missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
# The browser tests (tests/browser) need node and npm. They are not in the list: a machine
# with node from elsewhere (NodeSource, nvm) has its own npm, which Debian's npm package
# conflicts with. So Debian's come only when there is no npm at all.
command -v npm >/dev/null || missing+=(nodejs npm)
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
