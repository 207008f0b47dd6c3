#!/usr/bin/env bash
# Headless Chromium for tests/test_report_browser.py, from Debian packages, when missing: chromium,
# chromium-driver (/usr/bin/chromedriver, which selenium drives) and a CJK font (so the report's
# screenshot shows characters, not boxes). Idempotent and quiet; nothing is started here.
set -euo pipefail

have_browser() {
  command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
    && fc-list :lang=zh 2>/dev/null | grep -q .
}

if have_browser; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: no apt-get here; install chromium and chromedriver yourself (the browser tests skip without them)" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "chromium.sh: not root and no password-less sudo; cannot install chromium" >&2
    exit 1
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { "${SUDO[@]}" apt-get update -qq \
       && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            chromium chromium-driver fonts-wqy-zenhei; } >"$log" 2>&1; then
  echo "chromium.sh: installing chromium failed:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
have_browser || { echo "chromium.sh: chromium installed but chromium/chromedriver/a CJK font not found" >&2; exit 1; }
