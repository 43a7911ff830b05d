"""Rebuild after an edit of a few actor files without planning the whole site again.

A full build leaves, with the keys of the site on disk (record.SiteState), the digests of
the actors each page shows, each such page's recipe (the pickle its key was made from,
where actors and cards stand as references), what each group of pages read while it was
planned (its facts: pages/planner.py) and the value of each fact. When only actor files
changed since, edit_pages.py derives from that record which pages change:

- an edit that leaves an actor's listing as it was (what other pages show of it besides
  itself: pages/indexes.listing) changes only the pages that show the actor: they are made
  again from their recipes with the new actor in place of the old; a new `updated` date also
  moves the actor in the feed and changes its date in the sitemap, both planned again from
  the dates the last build noted;
- any other edit (a move between terms or clients, a new name, address, alias or logo) plans
  again, with the planner of every actor (read from the cache), the groups of pages that
  read a fact whose value changed; groups that appear are planned, the pages of groups that
  disappear are deleted, and the pages kept that may link to them have their links checked.

Of the pages made again, only those whose key changed are rendered; the search index files
and the exports are patched where the actor's record lies (edit_files.py), and every other
file is kept as it is.

Anything else (a new, deleted or renamed file, a new id, actors in another order, a
template, a setting, a cache entry missing or not as expected) and `quick_build` returns
None: the full build runs, which is always right, only slower.

Its parts: edit_record.py (the record the last build left), edit_pages.py (the pages made
again, and the Workbench that renders them) and edit_files.py (every file that changes,
made and checked); here, whether an edit rebuild can run, and the rebuild on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from site_gen import fingerprint
from site_gen.build.addresses import edit_address_changes
from site_gen.build.edit_files import QuickEdit, quick_edit
from site_gen.build.edit_record import QuickState, actor_entry
from site_gen.build.export_chunks import Pieces
from site_gen.build.options import BuildOptions, BuildReport, build_options
from site_gen.build.record import SiteState
from site_gen.content.load import actor_cache, current_content, load_actor
from site_gen.content.model import Actor
from site_gen.errors import ContentError, Problem, display_path
from site_gen.output.stream import NotAsRecorded
from site_gen.output.write import StagedSite, site_writer
from site_gen.pages.keys import NotQuick
from site_gen.render.links import link_targets

QUICK_LIMIT = 20  # edited actor files; more, and the full build (on every core) is better


def edited_actors(
    options: BuildOptions, state: SiteState, listing: dict[str, tuple[int, int]]
) -> dict[str, Actor] | None:
    """The edited actor files, parsed, by the digest of the version each replaces; None
    when a quick rebuild cannot make the site (see the module's docstring). `listing`:
    read_files of the content listing. Raises ContentError for a mistake in an edited file."""
    quick = state.quick
    if not isinstance(quick, QuickState) or quick.environment != fingerprint.environment(
        options.templates_dir, build_options(options)
    ):
        return None
    if listing.keys() != quick.listing.keys():
        return None
    edited = sorted(name for name, signature in listing.items() if quick.listing[name] != signature)
    if not edited or any(name not in quick.actors for name in edited):
        return None
    if len(edited) > QUICK_LIMIT:  # many new dates, as a checkout back and forth gives
        edited = _changed(options, quick, edited)
    if len(edited) > QUICK_LIMIT:
        return None
    problems: list[Problem] = []
    new: dict[str, Actor] = {}
    for name in edited:
        entry = quick.actors[name]
        actor = load_actor(
            options.content_dir / name, options.content_dir, quick.vocabularies, problems
        )
        if actor is None:
            continue
        if actor.id != entry.id:
            return None
        new[entry.digest] = actor
    if problems:
        raise ContentError(problems)
    return new


def _changed(options: BuildOptions, quick: QuickState, names: list[str]) -> list[str]:
    """Of these actor files, whose dates changed, those whose bytes changed too: the others
    are, for the parsed-actor cache, still the version the site shows."""
    cache = actor_cache(options.content_dir, options.cache_dir)
    content_now = partial(current_content, options.content_dir)
    changed = []
    for name in names:
        cached = cache.get(options.content_dir / name, content_now)
        if cached is None or cached.digest != quick.actors[name].digest:
            changed.append(name)
    cache.save()  # with their new signatures: the next build only stats them
    return changed


def quick_build(
    options: BuildOptions, inputs: str, listing: dict[str, tuple[int, int]]
) -> BuildReport | None:
    """Rebuild the site on disk after an edit of a few actor files; None when the full
    build must run. `listing`: fingerprint.listing of the content. Raises ContentError
    (nothing written) for a mistake in an edited file."""
    if not options.write or options.cache_dir is None or options.verify:
        return None  # --verify: the full build, which looks at every file
    live = options.output_dir
    state = SiteState(options.cache_dir, live)
    state.load(identity := fingerprint.outputs(live))
    listing = fingerprint.read_files(listing)
    new = edited_actors(options, state, listing)
    if new is None:
        return None
    if not new:  # files dated anew, none changed: the site is as it is, only its record moves
        quick: QuickState = state.quick
        unchanged = QuickEdit({}, {}, {}, {}, {}, quick.sitemap)
        report = record(state, unchanged, listing, quick.files)
        state.save(identity)
        fingerprint.BuildRecord(options.cache_dir).remember(live, inputs, report.summary())
        return report
    try:
        with site_writer(live, (options.content_dir, options.templates_dir)) as site:
            if fingerprint.outputs(live) != identity:  # under the lock, as the state is not
                raise NotQuick("another build replaced the site meanwhile")
            if not site.live:
                raise NotQuick("the site on disk has no manifest")
            edit = quick_edit(options, state, new, _OnDisk(site))
            state.forget()  # the site is about to change
            for path, data in edit.files.items():
                if isinstance(data, bytes):
                    site.add(path, data)
                elif data is not None:
                    site.add_chunks(path, data)
            if missing := site.keep_all(site.live.keys() - edit.files.keys()):
                raise NotQuick(f"{missing[0]} is not as recorded")
            files = site.count
    except (NotQuick, NotAsRecorded):
        return None
    report = record(state, edit, listing, files)
    content = display_path(options.content_dir)
    moved = edit_address_changes(state, edit.gone, edit.new.values(), content)
    state.save(fingerprint.outputs(live))
    fingerprint.BuildRecord(options.cache_dir).remember(live, inputs, report.summary())
    return replace(report, warnings=report.warnings + moved)  # not replayed: addresses.py


def record(
    state: SiteState, edit: QuickEdit, listing: dict[str, tuple[int, int]], files: int
) -> BuildReport:
    """Note in `state` (in memory) that the site is now `edit` applied, holding `files`
    files; returns the build's report."""
    quick: QuickState = state.quick
    pages = quick.pages + sum(route not in state.keys for route in edit.pages) - len(edit.gone)
    for route in edit.gone:
        state.drop(route)
    for route, (key, ids, signed) in edit.pages.items():
        state.set(route, key, ids, signed)
    for route in edit.exports:  # its key stands for every actor: made by the next full build
        state.set(route, "", frozenset())
    for old, actor in edit.new.items():
        state.replace_actor(old, actor.digest)
    state.reshow(edit.shows)
    actors = {
        name: actor_entry(edit.new[entry.digest]) if entry.digest in edit.new else entry
        for name, entry in quick.actors.items()
    }
    state.quick = replace(
        quick,
        listing=listing,
        actors=actors,
        exports=quick.exports | edit.exports,
        groups=quick.groups if edit.groups is None else edit.groups,
        facts=quick.facts if edit.facts is None else edit.facts,
        shared_warnings=quick.shared_warnings if edit.shared is None else edit.shared,
        sitemap=edit.sitemap,
        pages=pages,
        files=files,
    )
    warnings = tuple(sorted(p for entry in actors.values() for p in entry.warnings))
    warnings += state.quick.shared_warnings
    rendered = len(edit.pages) + len(edit.exports)
    return BuildReport(len(quick.order), pages, files, 0.0, warnings, rendered)


@dataclass(frozen=True)
class _OnDisk:
    """The live site on disk, as a quick rebuild reads it through the writer (SiteFiles)."""

    site: StagedSite

    def targets(self) -> set[str]:
        return link_targets(self.site.live)

    def read(self, path: str) -> bytes | None:
        return self.site.read(path)  # None if not as recorded: edited or deleted by hand

    def chunks(self, path: str, lengths: tuple[int, ...]) -> Pieces | None:
        return self.site.spans(path, lengths)  # never read: copied by the kernel
