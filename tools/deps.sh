#!/usr/bin/env bash
# Installs the system packages kcap builds against, only when something is missing; quiet when all is present.
# Sourced by tools/demo.sh and tools/test.sh. Idempotent.
set -euo pipefail

kcap_packages=(libbpf-dev libelf-dev liblz4-dev libre2-dev zlib1g-dev bpftool lz4 pkg-config time libzstd-dev)
# The strace comparison (StraceComparisonTests, tools/strace-compare.sh) traces these commands with strace.
kcap_packages+=(strace curl git)
# The browser the report tests open `kcap report` pages in (headless: no display needed).
kcap_packages+=(chromium)
# Debian's python3 and pip only when the machine has no python3 with pip (a pyenv python3 on PATH is used as is).
command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1 || kcap_packages+=(python3 python3-pip)
# The outside readers the export tests hold kcap's files to: Parquet (DuckDB, pyarrow) and Perfetto traces
# (the perfetto package's own protos).
kcap_python_modules=(duckdb pyarrow perfetto)
# Spark (pyspark in local mode) reads the fleet dataset in one test, on the machine's JDK 17+ when it has one.
command -v java >/dev/null 2>&1 && kcap_python_modules+=(pyspark)

kcap_missing_packages() {
    local p missing=()
    for p in "${kcap_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    echo "${missing[@]:-}"
}

kcap_install_deps() {
    kcap_install_system_deps && kcap_install_python_deps
}

# pip-installs the Python modules that are missing (quiet; no virtualenv: the tests run the python3 on PATH).
kcap_install_python_deps() {
    local m missing=()
    for m in "${kcap_python_modules[@]}"; do
        python3 -c "import $m" >/dev/null 2>&1 || missing+=("$m")
    done
    [ ${#missing[@]} = 0 ] && return 0
    echo "kcap: installing Python modules ${missing[*]} with pip" >&2
    # Debian's python3 refuses system-wide installs (PEP 668) unless told otherwise; older pips ignore this.
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --disable-pip-version-check "${missing[@]}" >&2
}

kcap_install_system_deps() {
    local missing
    missing=$(kcap_missing_packages)
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "kcap: missing packages ($missing) and no apt-get here: install them with your package manager" >&2
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "kcap: missing packages ($missing): run as root or install sudo" >&2; return 1; }
        sudo="sudo"
    fi
    echo "kcap: installing $missing" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

kcap_require_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"
        else echo "kcap: swift not found: install Swift 6 (https://swift.org) and put it on PATH" >&2; return 1; fi
    fi
}

# Installs what is missing, finds swift, then runs `swift build ARGS` showing only what is not progress.
kcap_build() {
    kcap_install_deps
    kcap_require_swift
    local status
    set +e
    swift build "$@" 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] '
    status=${PIPESTATUS[0]}
    set -e
    [ "$status" = 0 ] || { echo "kcap: build failed (see above)" >&2; return 1; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    kcap_install_deps
    kcap_require_swift
fi
