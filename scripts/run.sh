#!/bin/sh
# The two commands of the README, made to work on a fresh clone:
#   npm start  -> install deps if needed, find/build the Temporal CLI, build (the dashboard only
#                 when web/ changed), run everything
#   npm test   -> install deps if needed, find/build the Temporal CLI, install Appium's UiAutomator2
#                 driver into its cache and Chromium (apt) if missing, type-check and compile,
#                 build the dashboard if web/ changed, lint, run Jest
#   npm run bench -- <name>, npm run drill -- <name>: compile the whole tree, run one
set -eu
cd "$(dirname "$0")/.."
cmd=${1:-}; [ $# -gt 0 ] && shift

# Install again whenever package-lock.json is newer than what was installed. Not `npm ci`:
# npm 11 leaves other platforms' optional binaries (@swc/core-darwin-*, …) out of the lock
# and `ci` then refuses it; `install --no-save` keeps the locked versions and rewrites nothing.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # The registry sometimes stalls mid-download (EIDLETIMEOUT); npm's own fetch retries do
  # not cover a stalled body, so the whole install is retried.
  # --prefer-offline takes what npm's cache already holds without asking the registry again.
  echo "Installing npm dependencies..." >&2
  sh scripts/retry.sh 4 npm install --no-save --no-audit --no-fund --prefer-offline --fetch-retries=5
fi
# node_modules/.bin/node is Node 24 (the `node` devDependency); the machine's may be older.
PATH="$PWD/node_modules/.bin:$PATH"; export PATH

case "$cmd" in
  start)
    if [ -z "${TEMPORAL_ADDRESS:-}" ]; then TEMPORAL_CLI=$(sh scripts/temporal-cli.sh); export TEMPORAL_CLI; fi
    tsc -p tsconfig.build.json
    sh scripts/build-web.sh
    exec node dist/cli/start.js
    ;;
  test)
    TEMPORAL_CLI=$(sh scripts/temporal-cli.sh); export TEMPORAL_CLI
    # Not APPIUM_HOME itself: the suite's own Appium finds the fake driver through package.json.
    UIAUTOMATOR2_APPIUM_HOME=$(sh scripts/appium-host.sh --install-only); export UIAUTOMATOR2_APPIUM_HOME
    # Debian's Chromium for the browser tests (the dashboard's, and a cross-origin relay client's): apt, once.
    CHROMIUM_PATH=$(sh scripts/chromium.sh); export CHROMIUM_PATH
    # Type-checks and compiles the whole tree at once: the suites that run the real entry
    # points as processes (the launcher, the scale-out drill) start them from here.
    tsc -p tsconfig.bench.json
    TASKHUB_BUILD_DIR="$PWD/.bench-dist"; export TASKHUB_BUILD_DIR
    tsc -p web --noEmit
    sh scripts/build-web.sh
    # The layering rules (eslint.config.mjs) and the formatting are part of the suite.
    eslint . && prettier --check . >/dev/null || { echo "lint or formatting failed: npm run lint shows it, npm run format fixes the formatting" >&2; exit 1; }
    # Jest's results also go to a file, so one plain closing line ("tests: N passed, N failed")
    # is printed after Jest has fully exited, however it exits.
    results="${TMPDIR:-/tmp}/taskhub-jest-$$.json"
    set +e
    jest --json --outputFile="$results" "$@"
    status=$?
    set -e
    node -e 'const r = require(process.argv[1]);
      const failed = r.numFailedTests + r.numRuntimeErrorTestSuites, skipped = r.numPendingTests + r.numTodoTests;
      console.log(`\ntests: ${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);' "$results" 2>/dev/null || true
    rm -f "$results"
    exit $status
    ;;
  bench)
    # Benchmarks use the simulators under test/, so they compile the whole tree.
    TEMPORAL_CLI=$(sh scripts/temporal-cli.sh); export TEMPORAL_CLI
    tsc -p tsconfig.bench.json
    name=${1:-}; [ -n "$name" ] || { echo "usage: npm run bench -- <$(ls bench/*.ts | xargs -n1 basename | sed 's/.ts$//' | tr '\n' '|')>" >&2; exit 2; }
    shift
    exec node ".bench-dist/bench/$name.js" "$@"
    ;;
  record-histories)
    # Re-records test/replay/histories/ from real runs of every workflow (see test/replay/record-histories.ts).
    TEMPORAL_CLI=$(sh scripts/temporal-cli.sh); export TEMPORAL_CLI
    exec jest --testMatch '<rootDir>/test/replay/record-histories.ts' "$@"
    ;;
  drill)
    # The drills start the compiled entry points as processes, and the simulators under test/.
    TEMPORAL_CLI=$(sh scripts/temporal-cli.sh); export TEMPORAL_CLI
    tsc -p tsconfig.bench.json
    name=${1:-}; [ -n "$name" ] || { echo "usage: npm run drill -- <$(ls drill/*.ts | xargs -n1 basename | sed 's/.ts$//' | tr '\n' '|')> [--short]" >&2; exit 2; }
    shift
    exec node ".bench-dist/drill/$name.js" "$@"
    ;;
  *)
    echo "usage: scripts/run.sh start|test|bench|drill|record-histories [args]" >&2; exit 2 ;;
esac
