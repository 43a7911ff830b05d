"""The static full-text search index (Pagefind), built in memory from the catalogue.

Each actor is one record with its text, the metadata results show (name, summary,
territories) and the facets readers filter on (territory, context, commons).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import tempfile
from functools import partial
from html import escape, unescape
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath
from typing import Any

from . import cbor, routes
from .cache import FileStore, key_of
from .config import Settings
from .errors import SiteGenError
from .markdown import MarkdownRenderer
from .model import Actor, Catalogue
from .parallel import map_chunks
from .strings import strings_for

_TAG = re.compile(r"<[^>]+>")
PAGEFIND_SIGNATURE = b"pagefind_dcd"
FILTERS = {"territories": "territoire", "contexts": "contexte", "commons": "communs"}


def version(package: str) -> str:
    try:
        return package_version(package)
    except PackageNotFoundError:
        return ""


def _text(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


def records(
    settings: Settings,
    catalogue: Catalogue,
    markdown: MarkdownRenderer,
    workers: int | None = None,
) -> list[dict]:
    """What Pagefind indexes: one record per actor, built on every core."""
    return list(map_chunks(partial(record, settings, markdown), catalogue.actors, workers))


def record(settings: Settings, markdown: MarkdownRenderer, actor: Actor) -> dict:
    """An actor's searchable text, the fields results show, and its facet values."""
    strings = strings_for(settings.language)
    parts = [actor.name, actor.legal_form, actor.summary, actor.city]
    for service in actor.services:
        parts += [service.title, service.tagline, _text(markdown.render(service.description))]
    parts.append(_text(markdown.render(actor.about)))
    parts += actor.clients
    for experience in actor.experiences:
        parts += [
            experience.client,
            experience.title,
            _text(markdown.render(experience.description)),
        ]
    parts += [t.label for t in actor.territories + actor.contexts]
    filters = {
        FILTERS["territories"]: [t.label for t in actor.territories],
        FILTERS["contexts"]: [t.label for t in actor.contexts],
    }
    if actor.commons is not None:
        filters[FILTERS["commons"]] = [strings["commons_yes" if actor.commons else "commons_no"]]
    return {
        "url": routes.url(settings.base_path, routes.actor(actor.slug)),
        "content": "\n".join(p for p in parts if p),
        "language": settings.language,
        "meta": {
            "title": actor.name,
            "summary": actor.summary,
            "territories": ", ".join(t.label for t in actor.territories),
        },
        "filters": {k: v for k, v in filters.items() if v},
    }


def search_index(records: list[dict], cache_dir: Path | None = None) -> dict[str, bytes]:
    """Pagefind's files (index chunks, fragments, its JS and WebAssembly) by output path.

    Pagefind writes its filter chunks in an arbitrary order, so two runs on the same records
    differ by a few bytes; keeping the index by the hash of its records makes rebuilds of
    the same content byte-identical (and skips Pagefind when no record changed).
    """
    if not records:
        return {}  # nothing to index (Pagefind refuses an empty site); the page says so
    store = FileStore(cache_dir, "search")
    key = key_of(records, version("pagefind"), version("pagefind_bin_extended"))
    files = store.get(key)
    if files is None:
        files = _run_pagefind(records)
        store.put(key, files)
    return files


def record_html(record: dict) -> str:
    """A minimal page per record, marked up for Pagefind (body, meta and filters)."""
    meta = record["meta"]
    lines = [
        f'<!DOCTYPE html><html lang="{escape(record["language"])}"><head><meta charset="utf-8">',
        f"<title>{escape(meta['title'])}</title></head><body data-pagefind-body>",
        f'<h1 data-pagefind-meta="title">{escape(meta["title"])}</h1>',
        f'<p data-pagefind-meta="summary">{escape(meta["summary"])}</p>',
        f'<div data-pagefind-meta="territories:{escape(meta["territories"])}"></div>',
    ]
    for name, values in record["filters"].items():
        lines += [f'<span data-pagefind-filter="{escape(name)}">{escape(v)}</span>' for v in values]
    lines += [f"<p>{escape(part)}</p>" for part in record["content"].split("\n")]
    lines.append("</body></html>")
    return "\n".join(lines)


def _run_pagefind(records: list[dict]) -> dict[str, bytes]:
    """Index the records with the Pagefind CLI (fast, multi-threaded) in a scratch folder."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SiteGenError("the Pagefind binary is missing: pip install 'pagefind[extended]'")
    with tempfile.TemporaryDirectory(prefix="site-gen-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "bundle"
        for record in records:
            page = site / record["url"].strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(record_html(record), encoding="utf-8")
        completed = subprocess.run(
            [
                str(executable),
                "--site",
                str(site),
                "--output-path",
                str(bundle),
                "--force-language",
                records[0]["language"] if records else "fr",
                "--silent",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SiteGenError(f"Pagefind failed: {completed.stderr.strip()}")
        return canonical_bundle(
            {
                routes.SEARCH_BUNDLE + path.relative_to(bundle).as_posix(): path.read_bytes()
                for path in sorted(bundle.rglob("*"))
                if path.is_file()
            }
        )


def _read_index(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(PAGEFIND_SIGNATURE):
        raise SiteGenError("unexpected Pagefind index format (was Pagefind upgraded?)")
    return cbor.loads(raw[len(PAGEFIND_SIGNATURE) :])


def _write_index(value: Any) -> bytes:
    return gzip.compress(PAGEFIND_SIGNATURE + cbor.dumps(value), mtime=0)


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's bundle with its filter values in a fixed order, so the same records
    always give the same bytes.

    Pagefind (1.5) writes the values of a filter in hash-map order, which changes from run
    to run. Sorting them changes the files' content, so they are renamed after the new
    content, and the metadata file that lists them (and the entry file that names it) too.
    """
    bundle = routes.SEARCH_BUNDLE
    result = dict(files)
    renamed: dict[str, str] = {}
    for path in sorted(p for p in files if p.startswith(bundle + "filter/")):
        name, values = _read_index(files[path])
        data = _write_index([name, sorted(values, key=lambda value: value[0])])
        language = PurePosixPath(path).stem.split("_")[0]
        new_name = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[PurePosixPath(path).stem] = new_name
        del result[path]
        result[f"{bundle}filter/{new_name}.pf_filter"] = data
    entry_path = bundle + "pagefind-entry.json"
    entry = json.loads(files[entry_path])
    for language, info in entry["languages"].items():
        meta_path = f"{bundle}pagefind.{info['hash']}.pf_meta"
        meta = _read_index(files[meta_path])
        meta[3] = sorted([name, renamed.get(ref, ref)] for name, ref in meta[3])
        data = _write_index(meta)
        info["hash"] = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        del result[meta_path]
        result[f"{bundle}pagefind.{info['hash']}.pf_meta"] = data
    result[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return result
