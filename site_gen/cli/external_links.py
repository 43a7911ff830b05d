"""External links of a built site: which http(s) addresses it links to, from which pages, and,
on request, whether they still answer. Never part of a build (`python build.py links`).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from site_gen.errors import UsageError
from site_gen.render.links import extract

USER_AGENT = "site_gen-links/1 (checks the links of a directory of participation actors)"
WORKERS = 8


def external_links(output_dir: Path, site_url: str) -> dict[str, list[str]]:
    """Every http(s) address the pages link to (the site's own excluded), with its pages."""
    if not output_dir.is_dir():
        raise UsageError(f"no site in {output_dir}/: build it first with `python build.py`")
    found: dict[str, set[str]] = {}
    for page in sorted(output_dir.rglob("*.html")):
        name = page.relative_to(output_dir).as_posix()
        for href in extract(name, page.read_bytes())[0]:
            url = unescape(href).strip()
            if urlsplit(url).scheme in ("http", "https") and not url.startswith(site_url):
                found.setdefault(url, set()).add(name)
    return {url: sorted(pages) for url, pages in sorted(found.items())}


@dataclass(frozen=True)
class LinkStatus:
    url: str
    ok: bool
    detail: str  # "200", "404 Not Found", "no answer within 10 s", "unreachable: …"


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect with the same method: a HEAD stays a HEAD (urllib turns it to GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_OPENER = urllib.request.build_opener(_SameMethodRedirects)


def check_link(url: str, timeout: float) -> LinkStatus:
    """HEAD, then GET for servers that refuse or mishandle HEAD; redirects are followed."""
    status = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                return LinkStatus(url, True, str(response.status))
        except urllib.error.HTTPError as error:
            status = LinkStatus(url, False, f"{error.code} {error.reason}")
        except TimeoutError:
            return LinkStatus(url, False, f"no answer within {timeout:g} s")
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                return LinkStatus(url, False, f"no answer within {timeout:g} s")
            return LinkStatus(url, False, f"unreachable: {reason}")
    return status  # type: ignore[return-value]


def check_links(urls: Iterable[str], timeout: float) -> list[LinkStatus]:
    """Check every address, a few at a time; results in the order of `urls`."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda url: check_link(url, timeout), urls))
