#!/bin/sh
# Prints the path of Debian's Chromium, installing it with apt first when it is missing.
# The dashboard's browser tests drive it with playwright-core; Playwright's own browser
# download is not used (it fetches from outside the package registries).
set -eu
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and there is no apt-get to install it: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else echo "Chromium is missing: run as root, or install it (apt-get install chromium)" >&2; exit 1; fi
fi
echo "Installing Chromium with apt (once)..." >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
sh "$(dirname "$0")/retry.sh" 3 $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
echo /usr/bin/chromium
