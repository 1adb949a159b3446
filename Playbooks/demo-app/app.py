#!/usr/bin/env python3
"""Cutover's demo app: a small HTTP service to deploy, health-check and judge.

  GET /         "demo <version> <slot>" (fails with 500 for ERROR_PERCENT% of requests)
  GET /health   200 "ok <version>" once started (503 when HEALTHY=no)
  GET /metrics  Prometheus text: demo_requests_total{code=...}, demo_build_info{version=...}

Its settings come from app.conf in its release directory (written when the artifact is built,
so a release "is built to return errors"): VERSION, ERROR_PERCENT, HEALTHY. With --self-traffic
it sends itself a steady stream of requests, so its error rate is visible without outside load.

Faults a release can be built with (the application fault matrix's switches), in seconds after
the process started:
  EXIT_AFTER=N          the process exits (status 3)
  ERRORS_AFTER=N        ERROR_PERCENT applies only from then on
  METRICS_GONE_AFTER=N  /metrics answers 404 from then on
  STARTING_FOR=N        /health answers 503 "starting" until then
  FLAP=yes              /health answers 503 one second in every three
  PORT=N                the port when no slot port is given (bin/start)
  HANG_START=N          bin/start hangs N seconds before starting anything
/metrics also has demo_error_percent_recent: the share of 500s over the last 2 seconds.
Standard library only.
"""
import argparse
import http.server
import os
import random
import threading
import time
import urllib.request


STARTED = time.monotonic()


def since_start():
    return time.monotonic() - STARTED


def read_conf(directory):
    conf = {"VERSION": "0", "ERROR_PERCENT": "0", "HEALTHY": "yes", "ERRORS_AFTER": "0",
            "METRICS_GONE_AFTER": "", "STARTING_FOR": "0", "FLAP": "no", "EXIT_AFTER": ""}
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
    WINDOW = 2.0

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {"200": 0, "500": 0}
        self.recent = []  # (monotonic time, code) of the last WINDOW seconds

    def add(self, code):
        now = time.monotonic()
        with self.lock:
            self.requests[code] = self.requests.get(code, 0) + 1
            self.recent.append((now, code))
            while self.recent and self.recent[0][0] < now - self.WINDOW:
                self.recent.pop(0)

    def snapshot(self):
        with self.lock:
            return dict(self.requests)

    def recent_error_percent(self):
        now = time.monotonic()
        with self.lock:
            window = [code for at, code in self.recent if at >= now - self.WINDOW]
        return 100.0 * window.count("500") / len(window) if window else 0.0


def make_handler(conf, slot, counters):
    version = conf["VERSION"]
    error_percent = float(conf["ERROR_PERCENT"])
    errors_after = float(conf["ERRORS_AFTER"])
    healthy = conf["HEALTHY"] == "yes"
    metrics_gone_after = float(conf["METRICS_GONE_AFTER"]) if conf["METRICS_GONE_AFTER"] else None
    starting_for = float(conf["STARTING_FOR"])
    flaps = conf["FLAP"] == "yes"

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
                if since_start() < starting_for:
                    self.reply(503, "starting " + version + "\n")
                elif flaps and int(since_start()) % 3 == 2:
                    self.reply(503, "flapping " + version + "\n")
                else:
                    self.reply(200 if healthy else 503, ("ok " if healthy else "unhealthy ") + version + "\n")
            elif self.path == "/metrics" and metrics_gone_after is not None and since_start() >= metrics_gone_after:
                self.reply(404, "no metrics here\n")
            elif self.path == "/metrics":
                lines = ["# TYPE demo_requests_total counter"]
                for code, count in sorted(counters.snapshot().items()):
                    lines.append('demo_requests_total{code="%s"} %d' % (code, count))
                lines.append("# TYPE demo_build_info gauge")
                lines.append('demo_build_info{version="%s",slot="%s"} 1' % (version, slot))
                lines.append("# TYPE demo_error_percent_recent gauge")
                lines.append("demo_error_percent_recent %.3f" % counters.recent_error_percent())
                self.reply(200, "\n".join(lines) + "\n", "text/plain; version=0.0.4")
            elif since_start() >= errors_after and random.uniform(0, 100) < error_percent:
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
    if conf["EXIT_AFTER"]:
        threading.Timer(float(conf["EXIT_AFTER"]), lambda: os._exit(3)).start()
    counters = Counters()
    server = http.server.ThreadingHTTPServer((args.bind, args.port), make_handler(conf, args.slot, counters))
    server.daemon_threads = True
    if args.self_traffic > 0:
        url = "http://%s:%d/" % (args.bind, args.port)
        threading.Thread(target=self_traffic, args=(url, args.self_traffic), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
