"""The render stage of the build: the pages whose key differs from the site before's are
rendered (on every core), the others kept as they are; every page's links, key and recipe
are noted, and the exports are streamed, patched in place where they can be.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, replace
from functools import partial

from site_gen.build.edit_record import QuickState
from site_gen.build.edit_record import recipes as quick_recipes
from site_gen.build.export_chunks import EXPORTS, recorded
from site_gen.build.options import BuildOptions
from site_gen.build.page_store import PageBytes, page_bytes
from site_gen.build.target import PatchedExport, Target
from site_gen.output.stream import NotAsRecorded
from site_gen.pages.keys import KeyMemo, PageKey, page_key
from site_gen.pages.routes import output_path
from site_gen.pages.views import Page
from site_gen.parallel import map_batches, map_chunks
from site_gen.render.links import LinkChecker, bits_of, extract, may_link_to, signature
from site_gen.render.renderer import Renderer

RenderedPage = tuple[bytes, tuple[str, ...], frozenset[str], int]  # bytes, links, ids,
# links.signature


@dataclass
class PageRenderer:
    """Renders pages, or takes their bytes from the store of the pages built (`store`), and
    finds their links and ids (runs in the workers, a run of pages at a time)."""

    renderer: Renderer
    store: PageBytes | None

    def __call__(self, pages: Sequence[tuple[Page, str]]) -> list[RenderedPage]:
        kept = self.store.get_many([key for _, key in pages]) if self.store else {}
        made, rendered = [], []
        for page, key in pages:
            data = kept.get(key)
            if data is None:
                data = self.renderer.render(page)
                rendered.append((key, data))
            links, ids = extract(output_path(page.route), data)
            made.append((data, links, ids, signature(links, self.renderer.settings.base_path)))
        if self.store is not None:
            self.store.put_many(rendered)
        return made


def _page_key(salt: str, known: Container[str], memo: KeyMemo | None, page: Page) -> PageKey:
    """The page's key, with its recipe only if `known` lacks it (made on every core: only
    this comes back from the workers; from `memo` if it has it)."""
    found = page_key(salt, page) if memo is None else memo.key(salt, page)
    if found.recipe is None and found.actors and found.key not in known:
        found = page_key(salt, page)  # from the memo, but its recipe is no longer stored
    return replace(found, recipe=None) if found.recipe and found.key in known else found


@dataclass(frozen=True)
class RenderJob:
    """What the render stage is given: the pages planned, the renderer, what every page's
    key starts from (`salt`), the build's options, and `memo`, keys kept by earlier builds
    in this process (the preview, on one core)."""

    pages: list[Page]
    renderer: Renderer
    salt: str
    options: BuildOptions
    memo: KeyMemo | None = None


def render_pages(
    job: RenderJob, target: Target, checker: LinkChecker, patched: PatchedExport
) -> int:
    """Render the pages whose key differs from the site before's (`target.previous`), on
    every core, keep the others, and note every page's key, links and ids in `target.made`
    and `checker`, and the length of each chunk of the exports in `target.exports`; returns
    how many were rendered. `patched(route)`: an export patched (its chunks and their
    lengths), None if it is to be made whole."""
    pages, options = job.pages, job.options
    previous, state, site, exports = target.previous, target.made, target.site, target.exports
    # A page that is gone may be the target of links on pages that did not change: those
    # that may hold such a link (by their signature, then their bytes) have them read again.
    gone_routes = previous.keys.keys() - {page.route for page in pages}
    gone, needles = bits_of(gone_routes), [route.encode() for route in gone_routes]
    recipes = quick_recipes(options) if options.write else None
    known = recipes.keys() if recipes is not None else set()
    new_recipes: list[tuple[str, bytes]] = []
    stale = []
    keyed = map_chunks(partial(_page_key, job.salt, known, job.memo), pages, options.workers)
    for page, found in zip(pages, keyed, strict=True):
        key, path = found.key, output_path(page.route)
        state.show(page.route, found.actors)
        if found.recipe is not None and key not in known:
            new_recipes.append((key, found.recipe))
            if len(new_recipes) == 1000 and recipes is not None:  # never all in memory
                recipes.put_many(new_recipes)
                new_recipes.clear()
        if previous.keys.get(page.route) != key or not site.keep(path):
            stale.append((page, key))
            continue
        links: tuple[str, ...] = ()
        if gone & previous.links.get(page.route, 0):
            data = site.read(path)
            if data is None:  # deleted from the site by hand: render it again
                stale.append((page, key))
                continue
            if may_link_to(data, needles):
                links = extract(path, data)[0]
        checker.add_extracted(path, links, previous.ids[page.route])
        state.set(page.route, key, previous.ids[page.route], previous.links.get(page.route, 0))
        if page.route in EXPORTS and isinstance(previous.quick, QuickState):
            exports[page.route] = previous.quick.exports[page.route]
    if recipes is not None:
        recipes.put_many(new_recipes)
    streamed = [(page, key) for page, key in stale if page.chunks is not None]
    stale = [(page, key) for page, key in stale if page.chunks is None]
    for page, key in streamed:  # big files, written as they are made
        path, patch = output_path(page.route), patched(page.route)
        if patch is not None:
            try:
                site.add_chunks(path, patch[0])
                exports[page.route] = patch[1]
            except NotAsRecorded:  # the file on disk changed meanwhile: make it whole
                patch = None
        if patch is None:
            lengths: list[int] = []
            site.add_chunks(path, recorded(lengths, page.chunks()))
            exports[page.route] = tuple(lengths)
        checker.add_extracted(path, (), frozenset())
        state.set(page.route, key, frozenset())
    store = page_bytes(options)
    results = map_batches(PageRenderer(job.renderer, store), stale, options.workers)
    for (page, key), (data, links, ids, signed) in zip(stale, results, strict=True):
        path = output_path(page.route)
        site.add(path, data)
        checker.add_extracted(path, links, ids)
        state.set(page.route, key, ids, signed)
    # The recipes and bytes of the pages this site no longer has are forgotten: each edit
    # would leave some more for good. So are the recipes of other code (26 MB at 10,000
    # actors per change of our code); the store of bytes drops other code's pages, and
    # other output folders', only once it is too big (page_store.py).
    kept = set(state.keys.values())
    gone_keys = set(previous.keys.values()) - kept
    if recipes is not None:
        recipes.forget(gone_keys)
    if store is not None:
        store.forget(gone_keys, kept)
    return len(stale) + len(streamed)
