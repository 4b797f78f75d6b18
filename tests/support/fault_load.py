"""A bounded background load for the fault tests: a few client threads request a fixed
mix of URLs (pages, search, feeds, API, media, health) through nginx, straight to
gunicorn's socket and from the object store, and count what came back per phase, kind
of URL and route. The test names the phase; every request counts under the phase in
which it started."""

import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

FRIENDLY_MARK = "服务暂时不可用".encode()
KINDS = ("page", "search", "feed", "api", "media", "health")


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS
    url: str  # a path on the site, or an absolute URL on the object store
    via: str  # "nginx", "gunicorn" or "store"
    headers: tuple = ()
    follow: bool = False  # follow a redirect to the store (documents' signed URLs)


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's unix socket (nginx's upstream), bypassing nginx."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def classify(status, headers, body):
    """One word for a response: its status, or what kind of 503 it was."""
    if status != 503:
        return str(status)
    if b"Traceback" in body:
        return "503 traceback"
    if headers.get("Content-Type", "").startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return "503 raw"
        # /healthz names what is down; the API's answer says to come back later.
        return "503 json" if "checks" in data or headers.get("Retry-After") else "503 raw"
    if FRIENDLY_MARK in body and headers.get("Retry-After"):
        return "503 page"
    return "503 raw"


def ok(outcome):
    return outcome.isdigit() and int(outcome) < 400


class Load:
    def __init__(self, targets, *, nginx, gunicorn_socket, host, clients=3, pause=0.1):
        self.targets = list(targets)
        self.nginx = urlsplit(nginx)
        self.gunicorn_socket = gunicorn_socket
        self.host = host  # what nginx would pass on (ALLOWED_HOSTS, CSRF)
        self.clients, self.pause = clients, pause
        self.phase = "start"
        self.phases = []  # in the order they were entered
        self.counts = defaultdict(Counter)  # (phase, kind, via) -> Counter(outcome)
        self.samples = {}  # (phase, outcome) -> the first URL that gave it
        self.in_flight = Counter()  # phase -> requests started in it and not done
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []

    def enter(self, phase, settle=True):
        """Count what starts from now on under ``phase``; with ``settle``, first wait (up
        to 30 s) for requests of earlier phases to finish, so that none of them meets the
        fault the caller is about to cause."""
        with self._lock:
            self.phase = phase
            if phase not in self.phases:
                self.phases.append(phase)
        deadline = time.monotonic() + 30
        while settle and time.monotonic() < deadline:
            with self._lock:
                if not any(n for p, n in self.in_flight.items() if p != phase):
                    return
            time.sleep(0.05)

    def request(self, target, timeout=15):
        """(status, headers, body) of one request along the target's route."""
        headers = {"Host": self.host, **dict(target.headers)}
        if target.via == "store":
            return _urllib_get(target.url, headers={}, timeout=timeout)
        if target.via == "gunicorn":
            connection = UnixHTTPConnection(self.gunicorn_socket, timeout)
            headers.update({"X-Real-IP": "127.0.0.1", "X-Forwarded-Proto": "http"})
        else:
            connection = http.client.HTTPConnection(
                self.nginx.hostname, self.nginx.port, timeout=timeout
            )
        try:
            connection.request("GET", target.url, headers=headers)
            response = connection.getresponse()
            status, response_headers, body = response.status, response.headers, response.read()
        finally:
            connection.close()
        location = response_headers.get("Location", "")
        if target.follow and status in (301, 302) and location.startswith("http"):
            return _urllib_get(location, headers={}, timeout=timeout)
        return status, response_headers, body

    def _client(self, offset):
        position = offset
        while not self._stop.is_set():
            target = self.targets[position % len(self.targets)]
            position += 1
            with self._lock:
                phase = self.phase
                self.in_flight[phase] += 1
            try:
                outcome = classify(*self.request(target))
            except Exception as error:  # refused, reset, timed out: all count as failures
                outcome = f"error {type(error).__name__}"
            with self._lock:
                self.in_flight[phase] -= 1
                self.counts[(phase, target.kind, target.via)][outcome] += 1
                self.samples.setdefault((phase, outcome), target.url)
            self._stop.wait(self.pause)

    def __enter__(self):
        step = max(1, len(self.targets) // self.clients)
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(number * step,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def outcomes(self, phase, kind=None, via=None):
        """All outcomes of a phase (optionally of one kind and route), summed."""
        total = Counter()
        with self._lock:
            for (p, k, v), counter in self.counts.items():
                if p == phase and kind in (None, k) and via in (None, v):
                    total.update(counter)
        return total

    def table(self):
        """Failed/total requests per phase, route and kind of URL, as printable text."""
        routes = ("nginx", "gunicorn", "store")
        header = f"{'phase':<22}{'route':<10}" + "".join(f"{kind:>11}" for kind in KINDS)
        lines = [header, "-" * len(header)]
        for phase in self.phases:
            for via in routes:
                cells, seen = [], False
                for kind in KINDS:
                    counter = self.outcomes(phase, kind, via)
                    total = sum(counter.values())
                    seen = seen or total > 0
                    failed = sum(n for outcome, n in counter.items() if not ok(outcome))
                    cells.append(f"{failed}/{total}" if total else "-")
                if seen:
                    lines.append(f"{phase:<22}{via:<10}" + "".join(f"{cell:>11}" for cell in cells))
        lines.append("(failed/total requests; failed = anything but 2xx/3xx)")
        for phase in self.phases:
            bad = {o: n for o, n in self.outcomes(phase).items() if not ok(o)}
            if bad:
                described = ", ".join(
                    f"{o}: {n} (e.g. {self.samples[(phase, o)]})" for o, n in sorted(bad.items())
                )
                lines.append(f"  {phase}: {described}")
        return "\n".join(lines)


def _urllib_get(url, headers, timeout):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_for(check, seconds, interval=0.5):
    """Call ``check`` until it returns something true or ``seconds`` pass; its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
