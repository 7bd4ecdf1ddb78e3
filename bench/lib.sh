# Shared helpers for the bench/ scripts (sourced, not run).

# have COMMAND|/PATH: the command is on PATH, or the file exists.
have() { if [[ "$1" == /* ]]; then [[ -e "$1" ]]; else command -v "$1" >/dev/null 2>&1; fi; }

# install_needed ARRAY INSTALL: ARRAY names an associative array of Debian package ->
# the command or file it provides. The missing packages are installed with apt-get when
# INSTALL is 1 and the script runs as root; otherwise the script dies naming them. Uses
# the caller's die and note.
install_needed() {
    local -n need=$1
    local install=$2 pkg missing=() log=/tmp/kiroku-bench-apt.log
    for pkg in "${!need[@]}"; do have "${need[$pkg]}" || missing+=("$pkg"); done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ "$install" == 1 ]] || die "missing Debian packages: ${missing[*]} (BENCH_INSTALL=0)"
    [[ $(id -u) -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    note "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q "${missing[@]}" >"$log" 2>&1; then
        apt-get update -q >>"$log" 2>&1 || true
        apt-get install -y -q "${missing[@]}" >>"$log" 2>&1 ||
            { tail -n 20 "$log" >&2; die "apt-get install ${missing[*]} failed"; }
    fi
    rm -f "$log"
    for pkg in "${!need[@]}"; do have "${need[$pkg]}" || die "$pkg installed, but ${need[$pkg]} is still missing"; done
}

stop_pid() {  # stop_pid PID: TERM, wait up to 5 s, then KILL
    local pid=$1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

free_port() {  # a free TCP port on 127.0.0.1
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# to_ms VALUE_WITH_UNIT (wrk prints us, ms, s, m)
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}
