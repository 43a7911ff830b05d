"""What the preview answers over HTTP (the site served, the live-reload script, the state
it polls, the overlay's style sheet), and the server that sends it.

HTML responses get one external script, /__site_gen/livereload.js (nothing inline, so the
site's strict Content-Security-Policy holds). It polls /__site_gen/state.json: a new `build`
id means "reload", and `problems` are drawn in an overlay styled by /__site_gen/overlay.css.
Polling rather than Server-Sent Events: an open event stream per tab counts against the
browser's six connections per host, and a seventh preview tab would hang.
"""

from __future__ import annotations

import json
import mimetypes
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from site_gen.errors import Problem
from site_gen.formats import GROUP_SHOWN, as_dict, grouped
from site_gen.pages import routes

if TYPE_CHECKING:
    from site_gen.preview.served import ServedSite

DEV_PREFIX = "/__site_gen/"
DEV_FILES = {
    "livereload.js": "text/javascript; charset=utf-8",
    "overlay.css": "text/css; charset=utf-8",
}
SCRIPT_TAG = '<script src="/__site_gen/livereload.js" data-build="{build}"></script>'
NO_SITE_YET = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Aperçu indisponible</title></head>
<body><main><h1>Le site n'a pas encore pu être construit</h1>
<p>Corrigez les problèmes affichés : la page se recharge d'elle-même.</p></main></body></html>
"""


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    location: str = ""


def inject(html: bytes, build_id: str) -> bytes:
    """The page with the live-reload script just before </body> (or at the end)."""
    tag = SCRIPT_TAG.format(build=build_id).encode("ascii")
    end = html.lower().rfind(b"</body>")
    return html[:end] + tag + html[end:] if end >= 0 else html + tag


def overlay_problems(problems: Iterable[Problem]) -> list[dict]:
    """The problems as the overlay lists them: repeated warnings of one kind once, with how
    many others there are and where the first of them are (`others`, `places`)."""
    entries = []
    for problem, others in grouped(problems):
        entry = as_dict(problem)
        if others:
            entry["others"] = len(others)
            entry["places"] = [p.location() for p in others[: GROUP_SHOWN - 1]]
        entries.append(entry)
    return entries


def answer(
    raw_path: str, served: ServedSite | None, build_id: str, state: Callable[[], dict]
) -> Response:
    """What the server answers for a request path, from the site `served` (None before the
    first good build), the build's id, and `state()`, the preview's (for state.json)."""
    path = unquote(urlsplit(raw_path).path)
    if path.startswith(DEV_PREFIX):
        return _dev_file(path.removeprefix(DEV_PREFIX), state)
    if served is None:
        return Response(503, "text/html; charset=utf-8", inject(NO_SITE_YET.encode(), build_id))
    root = served.folder.resolve()
    try:
        target = (root / path.lstrip("/")).resolve()
    except (OSError, ValueError):
        return Response(400, body=b"bad path")
    status, body = 404, None
    if target.is_relative_to(root):  # a folder may be in memory only: no is_dir()
        name = target.relative_to(root).as_posix()
        if name != "." and not path.endswith("/"):
            body = served.read(name)
        if body is None:
            name = "index.html" if name == "." else f"{name}/index.html"
            body = served.read(name)
            if body is not None and not path.endswith("/"):
                return Response(301, location=path + "/")
        status = 200
    if body is None:
        status, name, body = 404, "404.html", served.read("404.html")
        if body is None:
            return Response(404, body=b"not found")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # not into the web editor: a reload would lose what is being typed in its form
    if content_type == "text/html" and not name.startswith(routes.ADMIN):
        body = inject(body, build_id)
    if content_type.startswith("text/") or content_type.endswith(("xml", "json")):
        content_type += "; charset=utf-8"
    return Response(status, content_type, body)


def _dev_file(name: str, state: Callable[[], dict]) -> Response:
    if name == "state.json":
        body = json.dumps(state(), ensure_ascii=False).encode("utf-8")
        return Response(200, "application/json; charset=utf-8", body)
    if name not in DEV_FILES:
        return Response(404, body=b"not found")
    body = resources.files("site_gen.preview").joinpath("devserver", name).read_bytes()
    return Response(200, DEV_FILES[name], body)


class PreviewServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a tab closed or reloaded mid-answer: nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "site_gen-preview"

    def do_GET(self) -> None:
        self._send(head=False)

    def do_HEAD(self) -> None:
        self._send(head=True)

    def _send(self, head: bool) -> None:
        response = self.server.preview.respond(self.path)  # type: ignore[attr-defined]
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would drown the rebuild messages
