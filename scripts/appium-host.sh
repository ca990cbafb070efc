#!/bin/sh
# The Appium server that drives the phones: Appium 3 from this project's dependencies, with the
# UiAutomator2 driver installed once into a cached APPIUM_HOME (later starts skip the install).
# Run it on the host the phones are plugged into (adb, Android SDK and a JDK installed there).
#   APPIUM_ADDRESS  address to listen on       (default 127.0.0.1; 0.0.0.0 for workers elsewhere)
#   APPIUM_PORT     port                       (default 4723)
#   APPIUM_HOME     where drivers are kept     (default ~/.cache/taskhub/appium-home)
# Extra arguments go to `appium server`. `--install-only` installs the driver, prints APPIUM_HOME
# and exits (the test command uses it: a test checks our capabilities against the real driver).
set -eu
UIAUTOMATOR2_VERSION=8.7.0   # peer-depends on appium ^3
root=$(cd "$(dirname "$0")/.." && pwd)
APPIUM_HOME=${APPIUM_HOME:-${TASKHUB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/taskhub}/appium-home}
export APPIUM_HOME
appium="$root/node_modules/.bin/appium"
[ -x "$appium" ] || { echo "Appium is not installed: run npm install in $root first" >&2; exit 1; }

installed=$("$appium" driver list --installed --json 2>/dev/null || echo '{}')
case "$installed" in
  *"\"uiautomator2\""*) ;;
  *)
    echo "Installing the UiAutomator2 driver $UIAUTOMATOR2_VERSION into $APPIUM_HOME (first run only)..." >&2
    mkdir -p "$APPIUM_HOME"
    sh "$root/scripts/retry.sh" 3 "$appium" driver install "uiautomator2@$UIAUTOMATOR2_VERSION"
    ;;
esac
if [ "${1:-}" = "--install-only" ]; then echo "$APPIUM_HOME"; exit 0; fi
# Missing adb, ANDROID_HOME or JAVA_HOME are reported here, before a task meets them.
"$appium" driver doctor uiautomator2 >&2 || echo "appium driver doctor reported problems (above): sessions on real phones will fail until they are fixed" >&2
exec "$appium" server --address "${APPIUM_ADDRESS:-127.0.0.1}" --port "${APPIUM_PORT:-4723}" "$@"
