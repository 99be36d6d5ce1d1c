#!/usr/bin/env bash
# Starts or stops a Tansu broker (memory storage) on a free loopback port.
#   scripts/broker.sh start STATE_DIR   prints the broker address once it answers a Kafka request
#   scripts/broker.sh stop STATE_DIR    stops the broker started with that state dir (by PID)
set -euo pipefail
cmd=${1:?start|stop}; state=${2:?state dir}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$state"

case "$cmd" in
start)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  tansu=$("$here/tansu-path.sh")
  "$tansu" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
      --storage-engine memory://tansu/ >"$state/tansu.log" 2>&1 &
  echo $! >"$state/tansu.pid"
  # Ready when it answers an ApiVersions request (the first request every Kafka client sends).
  python3 - "$port" <<'PY' || { echo "[broker] Tansu did not answer on port $port; log follows" >&2; cat "$state/tansu.log" >&2; kill "$(cat "$state/tansu.pid")" 2>/dev/null; exit 1; }
import socket, struct, sys, time
port = int(sys.argv[1]); deadline = time.time() + 20
while time.time() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            body = struct.pack(">hhih", 18, 0, 1, 5) + b"ready"
            s.sendall(struct.pack(">i", len(body)) + body)
            size = struct.unpack(">i", s.recv(4))[0]
            if size > 0: sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
  echo "127.0.0.1:$port" >"$state/address"
  echo "127.0.0.1:$port"
  ;;
stop)
  if [ -f "$state/tansu.pid" ]; then
    pid=$(cat "$state/tansu.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/tansu.pid"
  fi
  ;;
*) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
