#!/usr/bin/env bash
# The README's main-job command: set up, build, start the broker and keep it running.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product avrogate
state=${AVROGATE_STATE_DIR:-$(mktemp -d)}
trap 'bash scripts/broker.sh stop "$state"' EXIT INT TERM
brokers=$(bash scripts/broker.sh start "$state")
echo "[run] Kafka broker (Tansu) at $brokers — Ctrl-C stops it"
wait "$(cat "$state/tansu.pid")"
