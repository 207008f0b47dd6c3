#!/usr/bin/env bash
# PostgreSQL server binaries for tests/test_database.py, from Debian packages, when missing.
# Idempotent and quiet: does nothing when a server is installed (/usr/lib/postgresql/*/bin or PATH).
# The tests start their own throwaway server on loopback; nothing is started or enabled here.
set -euo pipefail

have_server() {
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null 2>&1
}

if have_server; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "postgres.sh: no apt-get here; install a PostgreSQL server yourself (the PostgreSQL tests skip without one)" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "postgres.sh: not root and no password-less sudo; cannot install PostgreSQL" >&2
    exit 1
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { "${SUDO[@]}" apt-get update -qq \
       && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >"$log" 2>&1; then
  echo "postgres.sh: installing PostgreSQL failed:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
have_server || { echo "postgres.sh: postgresql installed but no pg_ctl found" >&2; exit 1; }
