#!/bin/sh
# Prints the path of a headless-capable Chromium for the browser test, installing Debian's
# `chromium` package once if there is none (Playwright's own browser download cannot work
# on the project's machines). Idempotent: a second run only prints the path.
set -eu
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; exit 0; fi
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; exit 0; fi
done
echo "Installing Debian's chromium for the browser test..." >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
sh "$(dirname "$0")/retry.sh" 3 sh -c "$SUDO apt-get update >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium >&2"
command -v chromium
