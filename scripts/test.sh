#!/usr/bin/env bash
# The README's test command: set up, build, start a broker, run every test, stop the broker,
# then a short smoke of the two libFuzzer targets (AVROGATE_FUZZ_SECONDS each, default 15; 0 skips it).
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

fuzz_seconds=${AVROGATE_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" != 0 ] && [ $# -eq 0 ]; then
  echo "[test] fuzz smoke: ${fuzz_seconds}s per target from the seed corpus in Fuzz/corpus"
  log="$state/fuzz.log"
  if ! AVROGATE_FUZZ_DIR=.build-fuzz-smoke bash scripts/fuzz.sh "$fuzz_seconds" >"$log" 2>&1; then
    tail -80 "$log"; echo "[test] fuzz smoke found a problem (artifacts in .build-fuzz-smoke/)" >&2; exit 1
  fi
  grep -E '^\[fuzz\] running|^Done' "$log"
fi
