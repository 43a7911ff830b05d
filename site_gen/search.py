"""The static full-text search index (Pagefind), built in memory from the catalogue.

Each actor is one record with its text, the metadata results show (name, summary,
territories) and the facets readers filter on (territory, context, commons).
"""

from __future__ import annotations

import asyncio
import re
from html import unescape
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from . import routes
from .cache import FileStore, key_of
from .config import Settings
from .markdown import MarkdownRenderer
from .model import Catalogue
from .strings import strings_for

_TAG = re.compile(r"<[^>]+>")
FILTERS = {"territories": "territoire", "contexts": "contexte", "commons": "communs"}


def version(package: str) -> str:
    try:
        return package_version(package)
    except PackageNotFoundError:
        return ""


def _text(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


def records(settings: Settings, catalogue: Catalogue, markdown: MarkdownRenderer) -> list[dict]:
    """What Pagefind indexes, one dict of add_custom_record arguments per actor."""
    t = strings_for(settings.language)
    result = []
    for actor in catalogue.actors:
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
            filters[FILTERS["commons"]] = [t["commons_yes" if actor.commons else "commons_no"]]
        result.append(
            {
                "url": routes.url(settings.base_path, routes.actor(actor.slug)),
                "content": "\n".join(p for p in parts if p),
                "language": settings.language,
                "meta": {
                    "title": actor.name,
                    "summary": actor.summary,
                    "territories": ", ".join(t.label for t in actor.territories),
                },
                "filters": {k: v for k, v in filters.items() if v},
                "sort": {"name": actor.name},
            }
        )
    return result


def search_index(records: list[dict], cache_dir: Path | None = None) -> dict[str, bytes]:
    """Pagefind's files (index chunks, fragments, its JS and WebAssembly) by output path.

    Pagefind writes its filter chunks in an arbitrary order, so two runs on the same records
    differ by a few bytes; keeping the index by the hash of its records makes rebuilds of
    the same content byte-identical (and skips Pagefind when no record changed).
    """
    store = FileStore(cache_dir, "search")
    key = key_of(records, version("pagefind"), version("pagefind_bin_extended"))
    files = store.get(key)
    if files is None:
        files = asyncio.run(_index(records))
        store.put(key, files)
    return files


async def _index(records: list[dict]) -> dict[str, bytes]:
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    service = await PagefindService().launch()
    try:
        index = await service.create_index(IndexConfig(force_language="fr"))
        for record in records:
            await index.add_custom_record(**record)
        files = await index.get_files()
        await index.delete_index()
    finally:
        await service.close()
    return {routes.SEARCH_BUNDLE + f["path"]: f["content"] for f in files}
