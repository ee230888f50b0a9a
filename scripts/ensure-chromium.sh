#!/usr/bin/env bash
# Make sure a Chromium binary exists for the browser tests (Playwright drives the
# system Chromium; `playwright install` cannot download browsers here).
# Honours $CHROMIUM; otherwise looks for /usr/bin/chromium or chromium on PATH and,
# if none, installs Debian's chromium package via apt (as root or passwordless sudo).
set -euo pipefail

found() {
    if [[ -n "${CHROMIUM:-}" ]]; then [[ -x "$CHROMIUM" ]]; return; fi
    [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null
}

found && exit 0

if [[ -n "${CHROMIUM:-}" ]]; then
    echo "error: CHROMIUM=$CHROMIUM is not an executable file." >&2
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n)
else
    echo "error: Chromium not found. Install it (Debian: sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium." >&2
    exit 1
fi
command -v apt-get >/dev/null \
    || { echo "error: Chromium not found and apt-get is unavailable; install Chromium and set CHROMIUM=/path/to/chromium." >&2; exit 1; }

echo "Installing Chromium with apt-get (needed by the browser tests)..." >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq chromium >/dev/null
found || { echo "error: apt-get installed chromium but no chromium binary was found." >&2; exit 1; }
