#!/usr/bin/env bash
# The README's main-job command: set up, build, then run the embedded default —
# a Tansu broker, the built-in schema registry and the ingest API, with the example
# schemas in schemas/ registered. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product avrogate
bin="$(swift build -c release --show-bin-path)/avrogate"

state=${AVROGATE_STATE_DIR:-$(mktemp -d)}
registry_port=${AVROGATE_REGISTRY_PORT:-8081}
ingest_port=${AVROGATE_INGEST_PORT:-8080}
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash scripts/broker.sh stop "$state"
}
trap stop EXIT
trap 'exit 0' INT TERM

wait_for() { # URL: waits up to 30 s for a 2xx
  for _ in $(seq 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "[run] $1 did not answer; logs are in $state" >&2; return 1
}

brokers=$(bash scripts/broker.sh start "$state")
echo "[run] Kafka broker (Tansu) at $brokers"

registry="http://127.0.0.1:$registry_port"
"$bin" registry serve --listen "127.0.0.1:$registry_port" --brokers "$brokers" >"$state/registry.log" 2>&1 &
pids+=($!)
wait_for "$registry/subjects"
echo "[run] schema registry at $registry"

for file in schemas/*.avsc; do
  subject=$(basename "$file" .avsc)
  case "$subject" in *-value|*-key) ;; *) subject="$subject-value" ;; esac
  "$bin" schema register --registry "$registry" --subject "$subject" --file "$file" | sed "s/^/[run] registered $subject: /"
done

ingest="http://127.0.0.1:$ingest_port"
"$bin" serve --listen "127.0.0.1:$ingest_port" --brokers "$brokers" --registry "$registry" >"$state/ingest.log" 2>&1 &
pids+=($!)
wait_for "$ingest/health/ready"
echo "[run] ingest API at $ingest (logs in $state)"

example=schemas/orders-value.example.json
[ -f "$example" ] || example=$(ls schemas/*.example.json | head -1)
topic=$(basename "$example" .example.json); topic=${topic%-value}
echo
echo "Post an example event:"
echo "  curl -sS -X POST -H 'Content-Type: application/json' --data-binary @$example $ingest/topics/$topic"
echo "Read it back:"
echo "  $bin consume --brokers $brokers --registry $registry --topic $topic --group demo --from-beginning --max-messages 1"
echo
echo "[run] running — Ctrl-C stops the broker, the registry and the ingest API"
wait "${pids[@]}"
