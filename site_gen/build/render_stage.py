"""The render stage of the build: the pages whose key differs from the site before's are
rendered (on every core), the others kept as they are; every page's links, key and recipe
are noted, and the exports are streamed, patched in place where they can be.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from site_gen.build.edit_record import QuickState
from site_gen.build.edit_record import recipes as quick_recipes
from site_gen.build.export_chunks import EXPORTS, recorded
from site_gen.build.options import BuildOptions
from site_gen.build.page_store import PageBytes, page_bytes
from site_gen.build.target import PatchedExport, Target
from site_gen.output.stream import NotAsRecorded
from site_gen.pages.keys import KeyMemo, PageKey, RecipeReader, page_key, recipe
from site_gen.pages.planner import PagePlanner, PlannerSeed
from site_gen.pages.routes import output_path
from site_gen.pages.views import Card, Page
from site_gen.parallel import map_batches
from site_gen.render.links import LinkChecker, bits_of, extract, may_link_to, signature
from site_gen.render.renderer import CARDS_KEPT, Renderer

RenderedPage = tuple[bytes, tuple[str, ...], frozenset[str], int]  # bytes, links, ids,
# links.signature


@dataclass(frozen=True)
class PageToRender:
    """A page to render, and its key; without its page when the store of pages has its
    bytes. Sent to a render worker, it travels as its recipe (keys.py), each actor by its
    digest, which the worker reads from the cache."""

    route: str
    key: str
    page: Page | None

    def __reduce__(self) -> tuple:
        if self.page is None or self.page.data is not None:  # raw data travels as it is
            return PageToRender, (self.route, self.key, self.page)
        return SentRecipe, (self.route, self.key, *recipe(self.page))


@dataclass(frozen=True)
class SentRecipe:
    """A PageToRender as a worker receives it: its page as a recipe."""

    route: str
    key: str
    recipe: bytes
    actors: frozenset[str]
    cards: frozenset[str]  # the actors whose cards it shows
    page: None = None


@dataclass
class PageRenderer:
    """Renders pages, or takes their bytes from the store of the pages built (`store`), and
    finds their links and ids, a run of pages at a time. Sent to the render workers, which
    inherit nothing (a forked worker would copy much of the build's memory as it
    allocates: 0.8–1 GB each at 100,000 actors), it is made again there from the
    renderer's inputs and a planner of no actors (PlannerSeed), which makes each page
    again from its recipe. None for a page it cannot make: the build process renders it."""

    renderer: Renderer
    store: PageBytes | None
    planner: PagePlanner
    cards: dict[str, Card] = field(default_factory=dict)  # made from the actors read

    def __reduce__(self) -> tuple:
        return _in_worker, (self.renderer, self.store, self.planner.seed())

    def __call__(self, items: Sequence[PageToRender | SentRecipe]) -> list[RenderedPage | None]:
        kept = self.store.get_many([item.key for item in items]) if self.store else {}
        pages = self._pages([item for item in items if item.key not in kept])
        made: list[RenderedPage | None] = []
        rendered = []
        for item in items:
            data = kept.get(item.key)
            if data is None:
                page = pages.get(item.key)
                if page is None:
                    made.append(None)
                    continue
                data = self.renderer.render(page)
                rendered.append((item.key, data))
            links, ids = extract(output_path(item.route), data)
            made.append((data, links, ids, signature(links, self.renderer.settings.base_path)))
        if self.store is not None:
            self.store.put_many(rendered)
        return made

    def _pages(self, items: list[PageToRender | SentRecipe]) -> dict[str, Page]:
        """The pages of these items by key, those sent as recipes made again (their actors
        read from the cache together, their cards made from them); none for an item
        without a page (its bytes were to be in the store) or whose actors are not kept."""
        recipes = [item for item in items if isinstance(item, SentRecipe)]
        if len(self.cards) >= CARDS_KEPT:  # kept a while, not for every actor (renderer.py)
            self.cards.clear()
        wanted = {key for item in recipes for key in item.actors}
        wanted.update(key for item in recipes for key in item.cards if key not in self.cards)
        actors = self.planner.derived.actors(sorted(wanted)) if wanted else {}
        self.cards.update(
            (key, self.planner.make_card(actor))
            for key, actor in actors.items()
            if key not in self.cards
        )

        pages = {item.key: item.page for item in items if item.page is not None}
        for item in recipes:
            if item.actors <= actors.keys() and item.cards <= self.cards.keys():
                pages[item.key] = RecipeReader(
                    item.recipe, actors.__getitem__, self.cards.__getitem__, self.planner
                ).page()[1]
        return pages


def _in_worker(renderer: Renderer, store: PageBytes | None, seed: PlannerSeed) -> PageRenderer:
    return PageRenderer(renderer, store, seed.planner())


def _page_key(salt: str, known: Container[str], memo: KeyMemo | None, page: Page) -> PageKey:
    """The page's key, with its recipe only if `known` lacks it (from `memo` if it has it)."""
    found = page_key(salt, page) if memo is None else memo.key(salt, page)
    if found.recipe is None and found.actors and found.key not in known:
        found = page_key(salt, page)  # from the memo, but its recipe is no longer stored
    return replace(found, recipe=None) if found.recipe and found.key in known else found


@dataclass(frozen=True)
class RenderJob:
    """What the render stage is given: the pages planned, the planner that made them (it
    makes their contexts lazily), the renderer, what every page's key starts from
    (`salt`), the build's options, and `memo`, keys kept by earlier builds in this process
    (the preview, on one core)."""

    pages: list[Page]
    planner: PagePlanner
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
    # In this process: a worker would copy the pages' objects as it pickles them.
    keyed = map(partial(_page_key, job.salt, known, job.memo), pages)
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
    renderer = PageRenderer(job.renderer, store, job.planner)
    stored = store.present([key for _, key in stale]) if store is not None else set()
    sent = [PageToRender(page.route, key, None if key in stored else page) for page, key in stale]
    results = map_batches(renderer, sent, options.workers, fresh=True)
    for (page, key), result in zip(stale, results, strict=True):
        if result is None:  # its bytes or actors were no longer in the cache
            result = renderer([PageToRender(page.route, key, page)])[0]
        assert result is not None
        data, links, ids, signed = result
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
