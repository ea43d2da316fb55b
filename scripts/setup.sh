#!/usr/bin/env bash
# Idempotent set-up run before `npm start`, `npm test` and the benchmarks:
#  1. npm dependencies (including the Node 24 binary from the `node` package);
#  2. Debian packages: influxdb (the hub's time-series store), mosquitto (tests and benchmarks),
#     chromium and a CJK font (the operator console's browser test and its screenshots);
#  3. the operator console's build (dashboard/console/dist) and the edge agent's bundle
#     (edge-agent/dist) when their sources changed.
# A step that is already satisfied does nothing. Set GANGWAN_SKIP_APT=1 to never call apt.
set -euo pipefail
cd "$(dirname "$0")/.."

need_npm_install() {
  [ -f node_modules/.package-lock.json ] || return 0
  [ package-lock.json -nt node_modules/.package-lock.json ] && return 0
  for f in package.json */package.json; do
    [ "$f" -nt node_modules/.package-lock.json ] && return 0
  done
  return 1
}

if need_npm_install; then
  echo "[setup] installing npm dependencies..."
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

# Debian packages: binary -> package. mosquitto is the peer of the ingest benchmark and the
# reference broker of the simulator's tests; chromium is the browser that hub/test/console-browser.test.ts
# drives through playwright-core (which downloads no browser of its own).
declare -A wanted=([influxd]=influxdb [mosquitto]=mosquitto [chromium]=chromium)

missing=()
for bin in "${!wanted[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || missing+=("${wanted[$bin]}")
done
# The console is Chinese first: without a CJK font Chromium draws its text as empty boxes. The
# stylesheet names Noto Sans CJK SC. (A command substitution, not `| grep -q`: with pipefail an
# early grep exit would read as failure.)
if [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then missing+=(fonts-noto-cjk); fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "${GANGWAN_SKIP_APT:-0}" = "1" ]; then
    echo "[setup] missing Debian packages: ${missing[*]} (GANGWAN_SKIP_APT=1, not installing)" >&2
    echo "[setup] install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
      echo "[setup] Gangwan needs these Debian packages: ${missing[*]}" >&2
      echo "[setup] install them as root: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "[setup] installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  }
fi

# The operator console (dashboard/console, React + Vite): rebuilt when its sources are newer than
# its last build, so `npm start` serves what is checked out. Skipped while the package has no
# build:console script or no console sources.
console_sources=()
for f in dashboard/console/src dashboard/console/index.html dashboard/console/vite.config.ts; do
  [ -e "$f" ] && console_sources+=("$f")
done
need_console_build() {
  [ ${#console_sources[@]} -gt 0 ] || return 1
  [ -f dashboard/console/dist/index.html ] || return 0
  [ -n "$(find "${console_sources[@]}" -newer dashboard/console/dist/index.html -print -quit)" ]
}
# grep reads all of npm's output (no -q): an early exit could SIGPIPE npm, which pipefail reads as "no script".
if need_console_build && npm run -w dashboard 2>/dev/null | grep build:console >/dev/null; then
  echo "[setup] building the operator console..."
  npm run build:console -w dashboard --silent
fi

# The edge agent runs from a one-file bundle (edge-agent/dist/gangwan-edge.cjs, see
# docs/edge-agent.md "Memory"): rebuilt when its sources, the contracts or the lock file are newer.
need_edge_build() {
  [ -f edge-agent/dist/gangwan-edge.cjs ] || return 0
  [ -n "$(find edge-agent/src contracts/src edge-agent/rolldown.config.mjs package-lock.json -newer edge-agent/dist/gangwan-edge.cjs -print -quit)" ]
}
if need_edge_build; then
  echo "[setup] building the edge agent..."
  npm run build -w edge-agent --silent >/dev/null
fi
