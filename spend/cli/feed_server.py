"""The calendar feed over HTTP: `python -m spend feed --port 8502`, behind the reverse proxy
that serves the dashboard (its `/calendrier/` path sent here).

A separate small process rather than a page: a calendar client fetches a plain file without
signing in, while every page of the dashboard sits behind the sign-in. It answers GET and HEAD
on `/calendrier/<token>.ics` with the deadlines when the token is the active one, and 404 to
anything else (feed off, address revoked or unknown: the answer does not say which). The
database is held only for each request, as the command line does beside the dashboard.
"""

import re
import sys
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

from spend import store
from spend.exchange.calendar import CONTENT_TYPE
from spend.exchange.feed import is_allowed

_PATH = re.compile(r"^/calendrier/([^/?#]+)\.ics$")
_SECRET = re.compile(r"/calendrier/[^\s\"]*")
REFUSED = "Calendrier introuvable : adresse inconnue ou révoquée, ou flux coupé.\n".encode()
UNAVAILABLE = "Calendrier momentanément indisponible : réessayez plus tard.\n".encode()


def make_handler(
    db: Path, make_calendar: Callable[[duckdb.DuckDBPyConnection], bytes]
) -> type[BaseHTTPRequestHandler]:
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
                    with store.session(db) as con:
                        if is_allowed(con, match[1]):
                            status, body, kind = HTTPStatus.OK, make_calendar(con), CONTENT_TYPE
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


def serve(
    db: Path, host: str, port: int, make_calendar: Callable[[duckdb.DuckDBPyConnection], bytes]
) -> int:
    server = ThreadingHTTPServer((host, port), make_handler(db, make_calendar))
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
