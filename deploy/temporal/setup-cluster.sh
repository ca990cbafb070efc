#!/bin/sh
# One-shot (compose service `temporal-setup`): once the Temporal server answers,
# make sure the taskhub namespace exists and carries taskhub's custom search
# attributes, so the UI can filter on them before the first worker starts.
#
# SEARCH_ATTRIBUTES is a whitespace-separated list of Name=Type pairs (types as
# the Temporal CLI spells them). docker-compose.yml sets it; the list must match
# temporal/search-attributes.ts, which test/deploy/compose.test.ts enforces.
#
# Re-runnable: an existing namespace is kept as it is (its retention too; change
# that with `temporal operator namespace update --retention`), and an attribute
# that is already registered with the same type is accepted. An attribute that
# exists with a *different* type fails the setup, because workflows would be
# rejected when they upsert it.
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
ATTEMPTS="${SETUP_WAIT_ATTEMPTS:-60}"
DELAY="${SETUP_RETRY_DELAY:-2}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES must list Name=Type pairs}"

log() { echo "temporal-setup: $*"; }

# retry CMD...: run CMD until it succeeds, at most $ATTEMPTS times.
retry() {
  n=1
  until "$@"; do
    if [ "$n" -ge "$ATTEMPTS" ]; then
      log "giving up after $n attempts: $*" >&2
      return 1
    fi
    n=$((n + 1))
    sleep "$DELAY"
  done
}

cluster_healthy() {
  temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1
}

ensure_namespace() {
  if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
    log "namespace $NAMESPACE exists"
    return 0
  fi
  if out=$(temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS" 2>&1); then
    log "namespace $NAMESPACE created (retention $RETENTION)"
    return 0
  fi
  case "$out" in
    *"already exists"* | *"AlreadyExists"*) log "namespace $NAMESPACE exists"; return 0 ;;
  esac
  echo "$out" >&2
  return 1
}

add_search_attribute() {
  name="$1"
  type="$2"
  if out=$(temporal operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" --name "$name" --type "$type" 2>&1); then
    log "search attribute $name ($type) registered"
    return 0
  fi
  case "$out" in
    *"different type"*)
      echo "$out" >&2
      log "search attribute $name exists with another type; fix it by hand" >&2
      exit 2
      ;;
    *"already exists"* | *"AlreadyExists"*)
      log "search attribute $name ($type) already registered"
      return 0
      ;;
  esac
  echo "$out" >&2
  return 1
}

log "waiting for Temporal at $ADDRESS"
retry cluster_healthy
retry ensure_namespace

for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if [ -z "$name" ] || [ "$name" = "$pair" ] || [ -z "$type" ]; then
    log "malformed SEARCH_ATTRIBUTES entry '$pair' (expected Name=Type)" >&2
    exit 2
  fi
  retry add_search_attribute "$name" "$type"
done

# Read back: every attribute must now be listed for the namespace.
listed=$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS")
for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  if ! printf '%s\n' "$listed" | grep -qw -- "$name"; then
    log "search attribute $name is missing after registration" >&2
    exit 1
  fi
done
log "namespace $NAMESPACE is ready"
