"""The calendar feed over HTTP: `python -m spend feed --port 8502`, behind the reverse proxy
that serves the dashboard (its `/calendrier/` path sent here).

A separate small process rather than a page: a calendar client fetches a plain file without
signing in, while every page of the dashboard sits behind the sign-in. It answers GET and HEAD
on `/calendrier/<token>.ics` with the deadlines when the token is the active one, and 404 to
anything else (feed off, address revoked or unknown: the answer does not say which). The
database is held only for each request, as the command line does beside the dashboard, and the
calendar is made once per version of the data (the library wrote some 590 events a second
on this 2-core machine under load).
"""

import re
import sys
import threading
from collections.abc import Callable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from spend import store
from spend.domain.fees import EngineInputs
from spend.exchange.calendar import CONTENT_TYPE
from spend.exchange.feed import is_allowed

_PATH = re.compile(r"^/calendrier/([^/?#]+)\.ics$")
_SECRET = re.compile(r"/calendrier/[^\s\"]*")
REFUSED = "Calendrier introuvable : adresse inconnue ou révoquée, ou flux coupé.\n".encode()
UNAVAILABLE = "Calendrier momentanément indisponible : réessayez plus tard.\n".encode()


MakeCalendar = Callable[[EngineInputs, Mapping[str, str]], bytes]


class CalendarCache:
    """The calendar made once per version of the data: a client that polls every few minutes
    costs a query, and the file is read only for its data, then released while it is written."""

    def __init__(self, db: Path, make_calendar: MakeCalendar) -> None:
        self.db, self.make_calendar = db, make_calendar
        self.lock = threading.Lock()
        self.version: tuple | None = None
        self.body = b""

    def answer(self, token: str) -> bytes | None:
        """The calendar, or None when the token is not the active address."""
        with self.lock:  # one calendar made at a time
            with store.session(self.db) as con:
                if not is_allowed(con, token):
                    return None
                version = store.query(con, "data_version").row(0)
                if version == self.version:
                    return self.body
                inputs, stored = store.load_inputs(con), store.settings(con)
            self.body, self.version = self.make_calendar(inputs, stored), version
            return self.body


def make_handler(cache: CalendarCache) -> type[BaseHTTPRequestHandler]:
    class FeedHandler(BaseHTTPRequestHandler):
        server_version = "spend-calendrier"
        sys_version = ""

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, *, with_body: bool) -> None:
            match = _PATH.match(self.path.split("?", 1)[0])
            status, body, kind = HTTPStatus.NOT_FOUND, REFUSED, "text/plain; charset=utf-8"
            if match:
                try:
                    calendar = cache.answer(match[1])
                    if calendar is not None:
                        status, body, kind = HTTPStatus.OK, calendar, CONTENT_TYPE
                except store.StoreError:
                    status, body = HTTPStatus.SERVICE_UNAVAILABLE, UNAVAILABLE
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "private, max-age=300")
            self.send_header("X-Content-Type-Options", "nosniff")
            if status == HTTPStatus.OK:
                self.send_header("Content-Disposition", 'inline; filename="echeances.ics"')
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            # The address is the secret: never in a log.
            sys.stderr.write(_SECRET.sub("/calendrier/….ics", format % args) + "\n")

    return FeedHandler


def serve(db: Path, host: str, port: int, make_calendar: MakeCalendar) -> int:
    server = ThreadingHTTPServer((host, port), make_handler(CalendarCache(db, make_calendar)))
    print(
        f"Flux du calendrier servi sur http://{host}:{server.server_port}/calendrier/<adresse>.ics "
        f"(base {db}) ; Ctrl+C pour arrêter.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
