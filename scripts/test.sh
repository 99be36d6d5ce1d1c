#!/usr/bin/env bash
# The README's test command: set up, build, start a broker, run every test, stop the broker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
state=$(mktemp -d)
trap 'bash scripts/broker.sh stop "$state"; rm -rf "$state"' EXIT
AVROGATE_TEST_BROKERS=$(bash scripts/broker.sh start "$state")
export AVROGATE_TEST_BROKERS
export AVROGATE_BINARY="$PWD/.build/debug/avrogate"
echo "[test] broker at $AVROGATE_TEST_BROKERS"
swift test --skip-build "$@"
