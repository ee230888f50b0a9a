#!/usr/bin/env bash
# Install a pinned uv into a private venv: scripts/bootstrap-uv.sh TOOLS_DIR UV_VERSION
# Needs only python3 (>= 3.11) with the venv module; on Debian installs python3-venv
# via apt when it is missing and we are root (or have passwordless sudo).
set -euo pipefail

tools_dir=${1:?usage: bootstrap-uv.sh TOOLS_DIR UV_VERSION}
uv_version=${2:?usage: bootstrap-uv.sh TOOLS_DIR UV_VERSION}

die() { echo "error: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found on PATH; install Python 3.11 or newer."
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "python3 on PATH is $(python3 -V 2>&1); this project needs Python 3.11 or newer."

if [[ -x "$tools_dir/bin/uv" ]] && [[ "$("$tools_dir/bin/uv" --version)" == "uv $uv_version"* ]]; then
    exit 0
fi

can_root() { [[ $(id -u) -eq 0 ]] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
make_venv() { rm -rf "$tools_dir" && python3 -m venv "$tools_dir"; }
no_venv="python3 -m venv does not work; install the venv module (Debian: sudo apt-get install python3-venv) and retry."

if ! venv_log=$(make_venv 2>&1); then
    # Debian/Ubuntu ship the venv module (ensurepip) in a separate package.
    command -v apt-get >/dev/null && can_root || { echo "$venv_log" >&2; die "$no_venv"; }
    echo "python3 -m venv failed; installing python3-venv with apt-get" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    make_venv || die "$no_venv"
fi

"$tools_dir/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
"$tools_dir/bin/uv" --version
