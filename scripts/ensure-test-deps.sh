#!/usr/bin/env bash
# What `npm test` needs beyond node_modules: a nats-server binary (tests start their own on a free
# port) and Debian's chromium (the CoOPS editor's browser test drives it with playwright-core).
# Installs them from Debian when missing and allowed (root with apt-get), else explains.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

missing=()
have nats-server || [ -n "${NATS_SERVER_BIN:-}" ] || missing+=(nats-server)
have chromium || [ -n "${CHROMIUM_BIN:-}" ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} from Debian ..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2
  exit 0
fi
echo "npm test needs: ${missing[*]}. Install with: sudo apt-get install ${missing[*]}" >&2
exit 1
