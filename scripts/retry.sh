#!/bin/sh
# retry.sh N command [args…]: runs the command up to N times, pausing 10 s, 20 s, … between
# tries, for install steps that fetch over a network that sometimes stalls. Output goes to
# stderr so callers can keep stdout for their own answer.
set -eu
tries=$1; shift
attempt=1
until "$@" >&2; do
  [ "$attempt" -ge "$tries" ] && { echo "$1 failed $attempt times; giving up" >&2; exit 1; }
  echo "$1 failed (attempt $attempt of $tries); trying again" >&2
  sleep $((attempt * 10)); attempt=$((attempt + 1))
done
