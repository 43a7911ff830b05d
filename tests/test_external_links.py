"""`python build.py links`: the external links of the built site, checked only on request.

The "outside world" is a small HTTP server that the test starts on 127.0.0.1 and stops.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import run_cli

SITE_YAML = "title: Annuaire\nbase_url: https://annuaire.example.org/\nlicence_url: {web}/licence\n"


class Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str]] = []

    def _answer(self) -> None:
        self.requests.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/gone":
            self.send_response(404)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def web():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def built(make_site, tmp_path, web):
    """A site whose actors link to the test server; built, which must not touch the network."""
    actors = {
        "a.yaml": f"id: 1\nname: Alpha\nwebsite: {web}/ok\n"
        f"about: 'Voir [ancien site]({web}/moved) et [page]({web}/gone).'\n",
        "b.yaml": f"id: 2\nname: Bêta\nwebsite: {web}/no-head\nabout: '[lent]({web}/slow)'\n",
        "c.yaml": f"id: 3\nname: Gamma\nabout: 'Comme [Alpha]({web}/ok).'\n",
    }
    content = make_site(actors, site_yaml=SITE_YAML.format(web=web))
    output = tmp_path / "out"
    result = run_cli("--content", content, "--output", output)
    assert result.status == 0, result.stderr
    assert Handler.requests == [], "the build reached the network"
    return content, output


def test_links_lists_each_address_with_the_pages_that_use_it(built, web):
    content, output = built
    result = run_cli("links", "--content", content, "--output", output)
    assert result.status == 0, result.stderr
    assert f"{web}/ok\n    acteurs/alpha/index.html\n    acteurs/gamma/index.html\n" in (
        result.stdout
    )
    assert f"{web}/gone\n    acteurs/alpha/index.html\n" in result.stdout
    assert f"{web}/licence\n    donnees/index.html\n" in result.stdout  # from a template
    assert "annuaire.example.org" not in result.stdout  # the site's own canonical addresses
    assert result.stdout.endswith(" lien(s) externe(s) sur 4 page(s).\n")
    assert Handler.requests == [], "listing reached the network"


def test_links_check_reports_what_fails_with_its_pages(built, web):
    content, output = built
    listed = run_cli("links", "--content", content, "--output", output).stdout.splitlines()
    addresses = [line for line in listed[:-1] if not line.startswith(" ")]
    assert all(a.startswith(web) for a in addresses), "the check would leave this machine"
    result = run_cli(
        "links", "--check", "--timeout", "0.5", "--content", content, "--output", output
    )
    assert result.status == 1, result.stderr
    assert f"{web}/gone: 404 Not Found\n    sur acteurs/alpha/index.html\n" in result.stdout
    assert f"{web}/slow: no answer within 0.5 s\n    sur acteurs/beta/index.html\n" in result.stdout
    for working in ("/ok:", "/moved:", "/no-head:"):
        assert working not in result.stdout
    assert "vérifié(s) : 2 en échec." in result.stdout
    assert ("HEAD", "/ok") in Handler.requests and ("GET", "/ok") not in Handler.requests
    assert ("GET", "/no-head") in Handler.requests  # HEAD refused: asked again with GET


def test_links_without_a_built_site_is_a_usage_error(make_site, tmp_path):
    content = make_site({}, site_yaml=SITE_YAML.format(web="http://127.0.0.1:9"))
    result = run_cli("links", "--content", content, "--output", tmp_path / "nothing")
    assert result.status == 2
    assert "build it first" in result.stderr
