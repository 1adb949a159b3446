#!/usr/bin/env python3
"""Cutover's demo app: a small HTTP service to deploy, health-check and judge.

  GET /         "demo <version> <slot>" (fails with 500 for ERROR_PERCENT% of requests)
  GET /health   200 "ok <version>" once started (503 when HEALTHY=no)
  GET /metrics  Prometheus text: demo_requests_total{code=...}, demo_build_info{version=...}

Its settings come from app.conf in its release directory (written when the artifact is built,
so a release "is built to return errors"): VERSION, ERROR_PERCENT, HEALTHY. With --self-traffic
it sends itself a steady stream of requests, so its error rate is visible without outside load.
Standard library only.
"""
import argparse
import http.server
import os
import random
import threading
import time
import urllib.request


def read_conf(directory):
    conf = {"VERSION": "0", "ERROR_PERCENT": "0", "HEALTHY": "yes"}
    path = os.path.join(directory, "app.conf")
    if os.path.exists(path):
        with open(path) as handle:
            for line in handle:
                line = line.strip()
                if "=" in line and not line.startswith("#"):
                    key, value = line.split("=", 1)
                    conf[key.strip()] = value.strip()
    return conf


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {"200": 0, "500": 0}

    def add(self, code):
        with self.lock:
            self.requests[code] = self.requests.get(code, 0) + 1

    def snapshot(self):
        with self.lock:
            return dict(self.requests)


def make_handler(conf, slot, counters):
    version = conf["VERSION"]
    error_percent = float(conf["ERROR_PERCENT"])
    healthy = conf["HEALTHY"] == "yes"

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, code, body, content_type="text/plain; charset=utf-8"):
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Demo-Version", version)
            self.send_header("X-Demo-Slot", slot)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                self.reply(200 if healthy else 503, ("ok " if healthy else "unhealthy ") + version + "\n")
            elif self.path == "/metrics":
                lines = ["# TYPE demo_requests_total counter"]
                for code, count in sorted(counters.snapshot().items()):
                    lines.append('demo_requests_total{code="%s"} %d' % (code, count))
                lines.append("# TYPE demo_build_info gauge")
                lines.append('demo_build_info{version="%s",slot="%s"} 1' % (version, slot))
                self.reply(200, "\n".join(lines) + "\n", "text/plain; version=0.0.4")
            elif random.uniform(0, 100) < error_percent:
                counters.add("500")
                self.reply(500, "error from demo %s %s\n" % (version, slot))
            else:
                counters.add("200")
                self.reply(200, "demo %s %s\n" % (version, slot))

    return Handler


def self_traffic(url, rate):
    pause = 1.0 / rate
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
        except Exception:
            pass
        time.sleep(pause)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--slot", default="-")
    parser.add_argument("--dir", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--self-traffic", type=float, default=0, help="requests per second to itself")
    args = parser.parse_args()
    conf = read_conf(args.dir)
    counters = Counters()
    server = http.server.ThreadingHTTPServer((args.bind, args.port), make_handler(conf, args.slot, counters))
    server.daemon_threads = True
    if args.self_traffic > 0:
        url = "http://%s:%d/" % (args.bind, args.port)
        threading.Thread(target=self_traffic, args=(url, args.self_traffic), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
