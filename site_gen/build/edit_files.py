"""What an edit rebuild changes in the site, made and checked, not written: the pages made
again (edit_pages.py), the exports, the data page and the search index patched where the
edited actors' records lie, and the links of them all, checked against the site on disk
(actor_edits.py) or in memory (the preview).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from typing import Protocol

from site_gen.build.edit_pages import Workbench, data_page, pages_to_remake, redated_sitemap
from site_gen.build.edit_record import QuickState, actor_file, recipes
from site_gen.build.export_chunks import EXPORTS, ExportBefore, Pieces, patch_export
from site_gen.build.options import BuildOptions
from site_gen.build.page_store import page_bytes
from site_gen.build.record import SiteState
from site_gen.content.model import Actor
from site_gen.errors import ContentError, Problem
from site_gen.pages import routes
from site_gen.pages.derived import Derived, derived_stores
from site_gen.pages.keys import NotQuick
from site_gen.pages.planner import Fact, Group, GroupRecord
from site_gen.pages.routes import output_path
from site_gen.pages.search import patch_index
from site_gen.render.links import (
    LinkChecker,
    bits_of,
    extract,
    link_targets,
    may_link_to,
    signature,
)

_PARTS = ("json", "csv_row", "search")


class SiteFiles(Protocol):
    """The site a quick rebuild changes."""

    def targets(self) -> Set[str]:
        """What links may point to: the path and the route of every file."""
        ...

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path`; None if there is none."""
        ...

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        """The file at `path` cut in pieces of these lengths; None if it is not there or
        not of their total length."""
        ...


@dataclass(frozen=True)
class QuickEdit:
    """What a quick rebuild changes in the site, made and checked, not yet written."""

    new: dict[str, Actor]  # the edited actors, by the digest of the version they replace
    files: dict[str, bytes | Pieces | None]  # by output path; None: a file to remove
    pages: dict[str, tuple[str, frozenset[str], int]]  # by route, of the pages made: the
    # key, ids and links (links.signature)
    exports: dict[str, tuple[int, ...]]  # export route → the length of each of its chunks
    shows: dict[str, frozenset[str]]  # by route: pages that may now show other actors
    sitemap: tuple[tuple[str, str], ...]  # pages.sitemap_entries of the site
    gone: frozenset[str] = frozenset()  # routes of the pages the site no longer has
    groups: dict[Group, GroupRecord] | None = None  # what each group read, if it changed
    facts: dict[Fact, str] | None = None  # the value of every fact a group read
    shared: tuple[Problem, ...] | None = None  # the warnings about the catalogue whole


def quick_edit(
    options: BuildOptions,
    state: SiteState,
    new: dict[str, Actor],
    site: SiteFiles,
    bench: Workbench | None = None,
) -> QuickEdit:
    """The files of `site` that change with the edited actors `new` (from edited_actors),
    made and checked (links included); neither the site nor `state` is changed. `bench`:
    a Workbench kept from an earlier rebuild, if it fits. Raises NotQuick when something
    is not as recorded, ContentError for a broken link."""
    quick: QuickState = state.quick
    if bench is None or not bench.fits(quick):
        bench = Workbench(options, quick)
    settings = quick.settings
    stores = derived_stores(settings, options.cache_dir)
    derived = Derived(stores, {entry.id: entry.digest for entry in quick.actors.values()})
    before = {old: {part: stores[part].get(old) for part in _PARTS} for old in new}
    after = dict(zip(new, derived.add(settings, list(new.values())), strict=True))
    if any(value is None for parts in before.values() for value in parts.values()):
        raise NotQuick("the data of an edited actor is not in the cache")
    redated = [a for a in new.values() if a.updated != quick.actors[actor_file(a)].updated]
    sitemap = redated_sitemap(quick.sitemap, redated) if redated else quick.sitemap
    planned = pages_to_remake(options, state, derived, new, bench, sitemap if redated else None)
    made, gone = planned.made, planned.gone
    feed = made.get(output_path(routes.FEED))
    shows = {routes.FEED: feed[1].actors} if redated and feed is not None else {}
    replanned = {
        route
        for name, group in planned.groups.items()
        if group is not quick.groups.get(name)
        for route in group.routes
    }
    for route in sorted(replanned):  # planned again: what they show may have changed
        if (page := made.get(output_path(route))) is not None:
            shows[route] = page[1].actors
    shows.update(dict.fromkeys(gone, frozenset()))
    # The exports and the search index are patched where the edited records lie, each
    # checked to be as recorded (else NotQuick).
    files: dict[str, bytes | Pieces | None] = {output_path(route): None for route in gone}
    exports = {}
    for route, (part, *_) in EXPORTS.items():
        edited = {actor.id: before[old][part] for old, actor in new.items()}
        fresh = {actor.id: getattr(after[old], part) for old, actor in new.items()}
        path, lengths = output_path(route), quick.exports[route]
        was = ExportBefore(site.chunks(path, lengths), lengths, quick.order)
        files[path], exports[route] = patch_export(
            route,
            was,
            quick.order,
            edited,
            lambda ids, fresh=fresh: [fresh[actor_id] for actor_id in ids],
        )
    made = made | data_page(state, bench, derived, (new, exports))
    if options.search:
        old_records = [before[old]["search"] for old in new]
        new_records = [after[old].search for old in new]
        try:
            files |= patch_index(site.read, old_records, new_records)
        except ValueError as error:
            raise NotQuick(str(error)) from error
    # The other pages are as recorded: their ids, and that they exist, is all links need.
    checker = LinkChecker(settings.base_path, site.targets(), ChainMap({}, state.ids))
    checker.forget(link_targets(output_path(route) for route in gone))
    pages = {}
    for path, (data, key, links, ids) in made.items():
        files[path] = data
        checker.add_extracted(path, links, ids)
        pages[routes.route_of_path(path)] = (key.key, ids, signature(links, settings.base_path))
    for path, data in files.items():
        if isinstance(data, bytes) and path not in made:  # the search index's files
            checker.add(path, data)
    if gone:
        _check_links_to_gone(checker, site, state, files, gone)
    problems = checker.problems()
    if problems:
        raise ContentError(problems)
    store = recipes(options)
    store.put_many((key.key, key.recipe) for _, key, _, _ in made.values() if key.recipe)
    replaced = {state.keys[r] for r in (*pages, *exports, *gone) if r in state.keys}
    store.forget(replaced, other_environments=False)  # of pages the site no longer has
    if kept_bytes := page_bytes(options):
        kept_bytes.put_many((key.key, data) for data, key, _, _ in made.values())
        kept_bytes.forget(replaced)
    edit = QuickEdit(new, files, pages, exports, shows, planned.sitemap, gone)
    facts, shared = planned.facts
    return replace(edit, groups=planned.groups, facts=facts or quick.facts, shared=shared)


def _check_links_to_gone(
    checker: LinkChecker,
    site: SiteFiles,
    state: SiteState,
    files: Mapping[str, object],
    gone: frozenset[str],
) -> None:
    """Give `checker` the links of the pages kept as they are (not in `files`) that may
    link to a page `gone` (by their signature in `state`, then links.may_link_to): those
    links then fail the build, as in a full one."""
    bits, needles = bits_of(gone), [route.encode() for route in gone]
    for route, signed in state.links.items():
        path = output_path(route)
        if not signed & bits or path in files:
            continue
        data = site.read(path)
        if data is None:
            raise NotQuick(f"{path} is not as recorded")
        if may_link_to(data, needles):
            checker.add_extracted(path, *extract(path, data))
