#!/bin/sh
# One-shot (compose service `temporal-admin-tools`): create Temporal's two MySQL 8
# databases and bring their schemas up to the version this admin-tools image
# ships. Safe to re-run on every `docker compose up`:
#   - `create` is CREATE DATABASE IF NOT EXISTS;
#   - `setup-schema -v 0.0` only creates the version tables and skips when the
#     database is already past 0.0;
#   - `update-schema` applies only the versioned steps not yet recorded.
# Upgrading Temporal = bump the admin-tools and server tags together and run
# `docker compose up` again; this script migrates before the server starts.
set -eu

SQL_HOST="${SQL_HOST:-mysql}"
SQL_PORT="${SQL_PORT:-3306}"
SQL_USER="${SQL_USER:-root}"
# The password is read by temporal-sql-tool from SQL_PASSWORD (never on argv).
: "${SQL_PASSWORD:?SQL_PASSWORD must be set}"
SCHEMA_ROOT="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/mysql/v8}"
WAIT_ATTEMPTS="${SETUP_WAIT_ATTEMPTS:-60}"
WAIT_DELAY="${SETUP_RETRY_DELAY:-2}"

attempt=0
until nc -z "$SQL_HOST" "$SQL_PORT"; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge "$WAIT_ATTEMPTS" ]; then
    echo "setup-schema: MySQL at $SQL_HOST:$SQL_PORT is not reachable, giving up" >&2
    exit 1
  fi
  sleep "$WAIT_DELAY"
done

sql_tool() {
  temporal-sql-tool --plugin mysql8 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

setup_database() {
  db="$1"
  versioned_dir="$2"
  echo "setup-schema: database $db"
  sql_tool --db "$db" create
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$versioned_dir"
}

setup_database temporal "$SCHEMA_ROOT/temporal/versioned"
setup_database temporal_visibility "$SCHEMA_ROOT/visibility/versioned"
echo "setup-schema: temporal and temporal_visibility are up to date"
