#!/usr/bin/env python3
"""A registry stand-in with scripted answers, for testing the registry client's transport.

    scripts/scripted-registry.py SCRIPT_JSON

SCRIPT_JSON maps "METHOD /raw/path?query" to a list of answers, each
{"status": 200, "body": <json or string>, "contentType": "...", "delay": seconds,
 "headers": {...}, "requireAuthorization": "Basic ..."}; the answers are given in turn and
the last one repeats. Unscripted requests get 404 with a 40401-style body. Prints the
port it listens on (loopback), then serves until killed. GET /__requests lists the requests
seen so far (method, path, headers, body, client port), without counting itself.
"""
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script = json.loads(sys.argv[1])
served = {key: 0 for key in script}
requests = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else None
        if self.command == "GET" and self.path == "/__requests":
            with lock:
                self.answer({"status": 200, "body": requests, "contentType": "application/json"})
            return
        key = f"{self.command} {self.path}"
        with lock:
            requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                             "body": body, "clientPort": self.client_address[1]})
            answers = script.get(key)
            if answers is None:
                answer = {"status": 404, "body": {"error_code": 404, "message": f"unscripted: {key}"}}
            else:
                answer = answers[min(served[key], len(answers) - 1)]
                served[key] += 1
        required = answer.get("requireAuthorization")
        if required is not None and self.headers.get("Authorization") != required:
            answer = {"status": 401, "body": {"error_code": 401, "message": "Unauthorized"}}
        time.sleep(answer.get("delay", 0))
        self.answer(answer)

    def answer(self, answer):
        body = answer.get("body", "")
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        try:
            self.send_response(answer.get("status", 200))
            self.send_header("Content-Type", answer.get("contentType", "application/vnd.schemaregistry.v1+json"))
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.get("headers", {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


# A parent that spawned us from a thread blocking SIGTERM would leave it blocked here too.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])


def exit_with_parent(parent):
    """Ends the stand-in when the test process that started it is gone, so none is left behind."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
