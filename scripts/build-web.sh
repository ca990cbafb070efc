#!/bin/sh
# Builds the dashboard (web/ -> dist/web/) when its sources changed since the last build.
# The fingerprint covers every file under web/ and package-lock.json (the front-end packages'
# versions); it is kept in dist/web/.source-hash, so a fresh clone or a changed file rebuilds
# and anything else costs one hash of ~40 small files. FORCE=1 rebuilds anyway.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"; export PATH

hash=$( { find web -type f -print | LC_ALL=C sort | while read -r f; do sha256sum "$f"; done; sha256sum package-lock.json; } | sha256sum | cut -d' ' -f1)
stamp=dist/web/.source-hash
if [ "${FORCE:-0}" != 1 ] && [ -f dist/web/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  exit 0
fi
echo "Building the dashboard (web/ -> dist/web/)..." >&2
start=$(date +%s)
vite build --config web/vite.config.mts
echo "$hash" > "$stamp"
echo "Dashboard built in $(( $(date +%s) - start )) s: $(du -sk dist/web | cut -f1) KiB in dist/web" >&2
