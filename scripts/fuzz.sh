#!/usr/bin/env bash
# Builds the two libFuzzer targets of Fuzz/ and runs each for SECONDS (default 60).
#   JSONToAvro   JSON events through the parser and encoder (checked against jansson and by round trip)
#   FrameToJSON  Confluent frames through the decoder and JSON writer (checked by round trip)
# The targets are not SwiftPM targets: swiftc compiles Sources/Avro (minus the files that need
# swift-crypto, which the codec does not use) with the harness into one module, instrumented
# with -sanitize=fuzzer,address. Findings (crash-*, leak-*, timeout-*) land in .build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=${AVROGATE_FUZZ_DIR:-.build-fuzz}
mkdir -p "$out"
mapfile -t sources < <(find Sources/Avro -name '*.swift' -print0 | xargs -0 grep -L '^import Crypto' | sort)

for target in JSONToAvro FrameToJSON; do
  binary="$out/fuzz-$target"
  if [ ! -x "$binary" ] || [ -n "$(find Sources/Avro Fuzz -name '*.swift' -newer "$binary" | head -1)" ]; then
    echo "[fuzz] building $target" >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name AvroFuzz \
      -I Sources/CAvro -I Sources/CJansson \
      "${sources[@]}" Fuzz/FuzzSupport.swift "Fuzz/$target.swift" -o "$binary"
  fi
done

# Leak detection is off: LeakSanitizer cannot see pointers Swift stores with enum tag bits
# (indirect enum payloads such as the schema tree), so it reports live memory as leaked.
# The Swift backtracer is off too: under ASan it trips over its own stack reads after a finding.
export ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no
status=0
for target in JSONToAvro FrameToJSON; do
  case $target in JSONToAvro) seeds=Fuzz/corpus/json ;; FrameToJSON) seeds=Fuzz/corpus/frame ;; esac
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  echo "[fuzz] running $target for ${seconds}s" >&2
  "$out/fuzz-$target" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$out/$target-" || status=$?
done
exit $status
