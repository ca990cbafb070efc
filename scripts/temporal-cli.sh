#!/bin/sh
# Prints the path of a Temporal CLI, building it first if none is found.
# Order: $TEMPORAL_CLI, `temporal` on PATH, ./.tools/bin/temporal, the user cache.
# The build (about 5-6 minutes the first time) lands in the user cache so fresh
# clones on the same machine reuse it; Go's module cache makes rebuilds quick.
set -eu
VERSION=v1.5.1   # newer tags carry a replace directive and cannot be `go install`ed
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${TASKHUB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/taskhub}/temporal-$VERSION"
local_bin="$root/.tools/bin/temporal"

if [ -n "${TEMPORAL_CLI:-}" ]; then
  [ -x "$TEMPORAL_CLI" ] || { echo "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$local_bin" ]; then echo "$local_bin"; exit 0; fi

if [ ! -x "$cache/temporal" ]; then
  if ! command -v go >/dev/null 2>&1; then
    cat >&2 <<MSG
No Temporal CLI found and Go is not installed to build one.
Install either:
  - the Temporal CLI (https://docs.temporal.io/cli) and put \`temporal\` on PATH, or set TEMPORAL_CLI=/path/to/temporal
  - Go >= 1.25, then re-run: this script builds github.com/temporalio/cli/cmd/temporal@$VERSION
Or point taskhub at an existing cluster with TEMPORAL_ADDRESS=host:7233.
MSG
    exit 1
  fi
  echo "Building the Temporal CLI $VERSION with go install (first run only, ~5 minutes)..." >&2
  mkdir -p "$cache"
  # A module download can fail on a flaky proxy; what was fetched stays in Go's module
  # cache, so a retry only fetches the rest.
  GOBIN="$cache" CGO_ENABLED=0 GOFLAGS=-mod=mod sh "$root/scripts/retry.sh" 3 go install "github.com/temporalio/cli/cmd/temporal@$VERSION"
fi
mkdir -p "$root/.tools/bin"
ln -sf "$cache/temporal" "$local_bin"
echo "$local_bin"
