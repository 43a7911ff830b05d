"""Warnings before readers' links break: the addresses the last build of an output folder
had that this build no longer makes.

A profile's address comes from its slug (or its name): renaming an actor, changing its slug
or deleting its file removes that address, and every link to it from elsewhere (other
sites, search engines, bookmarks) then answers 404. `aliases` in the actor's file keeps a
former address as a redirect to the profile (pages/planner.py), so each warning gives the
exact `aliases:` line to write. The record of the site (record.py) keeps, besides every
route, which actor had which addresses (`Addresses`), so a rename is told from a deletion.
A client or term page that goes gets a gentler mention: nothing redirects those.

`disappeared` is a pure function of the two builds; `address_changes` is the pipeline's one
call: it reads the last build's record (for `check`, the output folder's, left as it is),
notes this build's addresses in the record being made, and returns the warnings. The
warnings are the build's own: they are not replayed when nothing changed since, since the
address is gone by then.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from site_gen import fingerprint
from site_gen.build.record import SiteState
from site_gen.build.target import Target
from site_gen.content.model import Actor, Catalogue
from site_gen.errors import Problem, display_path
from site_gen.i18n import _, ngettext
from site_gen.pages import routes
from site_gen.pages.views import Page

_PROFILE = re.compile(r"^acteurs/([^/]+)/$")
_CLIENT = re.compile(r"^clients/([^/]+)/$")
SHOWN = 5  # the client or term pages gone that a warning names
_TERM = re.compile(rf"^(?:{'|'.join(routes.VOCABULARY_SECTIONS.values())})/([^/]+)/$")


class Owner(NamedTuple):
    """An actor as a build gave it addresses: its slug, its aliases, its file and name."""

    slug: str
    aliases: tuple[str, ...]
    source: str
    name: str

    def routes(self) -> tuple[str, ...]:
        """Its profile's address, then those of its aliases (redirects to it)."""
        return (routes.actor(self.slug), *(routes.actor(alias) for alias in self.aliases))


@dataclass(frozen=True)
class Addresses:
    """Which actor had which addresses in one build, by id (kept in the record of the site)."""

    actors: dict[int, Owner]

    @classmethod
    def of(cls, catalogue: Catalogue) -> Addresses:
        return cls({a.id: Owner(a.slug, a.aliases, a.source, a.name) for a in catalogue.actors})


@dataclass(frozen=True)
class Before:
    """What the last build of the folder made: every route, and its `Addresses` (None when
    its record predates them: a missing profile address is then reported without its
    actor)."""

    routes: Collection[str]
    addresses: Addresses | None


def address_changes(target: Target, catalogue: Catalogue, pages: list[Page]) -> tuple[Problem, ...]:
    """The warnings about the addresses the last build of `target`'s folder had and this
    one has not; notes this build's addresses in the record being made (`target.made`)."""
    target.made.addresses = Addresses.of(catalogue)
    previous = target.previous
    options = target.options
    if not options.write and target.overlay is None and options.cache_dir is not None:
        # `check`: the record of the output folder, if it was built, read and left as it is
        previous = SiteState(options.cache_dir, options.output_dir)
        previous.load(fingerprint.outputs(options.output_dir))
    if not previous.keys:
        return ()
    before = Before(previous.keys.keys(), previous.addresses)
    now = {page.route for page in pages}
    content = display_path(options.content_dir)
    return tuple(disappeared(before, catalogue.actors, now, content))


def edit_address_changes(
    state: SiteState, gone: Collection[str], edited: Iterable[Actor], content: str
) -> tuple[Problem, ...]:
    """The warnings of `address_changes` for an edit rebuild (build/actor_edits.py), which
    removes the pages `gone` and edits the actors `edited`; notes their new addresses in
    the record `state`. `content`: the content folder, as messages show it."""
    edited = tuple(edited)
    problems = disappeared(Before(gone, state.addresses), edited, (), content)
    if state.addresses is not None:
        owners = {a.id: Owner(a.slug, a.aliases, a.source, a.name) for a in edited}
        state.addresses = Addresses(state.addresses.actors | owners)
    return tuple(problems)


def disappeared(
    before: Before, actors: Iterable[Actor], now: Collection[str], content: str
) -> list[Problem]:
    """A warning for each address of `before` that `now` (the routes of this build) lacks:
    the profiles that moved or went (by actor), then the client and term pages that went.
    `content`: the content folder, as messages show it."""
    gone = {route for route in before.routes if route not in now}
    if not gone:
        return []
    problems = []
    if before.addresses is not None:
        actors = tuple(actors)
        by_id = {actor.id: actor for actor in actors}
        by_source = {actor.source: actor for actor in actors}
        for actor_id, owner in before.addresses.actors.items():
            missing = [route for route in owner.routes() if route in gone]
            if not missing:
                continue
            gone.difference_update(missing)
            # the same actor: by its id, or (its id changed) by its file
            actor = by_id.get(actor_id) or by_source.get(owner.source)
            if actor is None:
                problems.append(_deleted(owner, missing))
            else:
                problems.append(_moved(actor, missing))
    clients, terms = [], []
    for route in sorted(gone):
        if (found := _PROFILE.match(route)) and not found[1].isdigit():  # not acteurs/<id>/
            problems.append(_unowned(route, found[1], f"{content}/actors"))
        elif _CLIENT.match(route):
            clients.append(route)
        elif _TERM.match(route):
            terms.append(route)
    if clients:
        problems.append(_clients_gone(clients, f"{content}/clients.yaml"))
    if terms:
        problems.append(_terms_gone(terms, f"{content}/vocabularies.yaml"))
    return problems


def aliases_line(aliases: Iterable[str]) -> str:
    """The `aliases:` line of an actor file holding these slugs, once each."""
    return f"aliases: [{', '.join(dict.fromkeys(aliases))}]"


def _slug(route: str) -> str:
    return route.removeprefix("acteurs/").removesuffix("/")


def _shown(missing: list[str]) -> str:
    return ", ".join(f"/{route}" for route in missing)


def _moved(actor: Actor, missing: list[str]) -> Problem:
    """The actor is still there, at another address."""
    message = ngettext(
        "the address {old} disappears: this profile is now at /{new}",
        "the addresses {old} disappear: this profile is now at /{new}",
        len(missing),
    ).format(old=_shown(missing), new=routes.actor(actor.slug))
    line_text = aliases_line((*actor.aliases, *map(_slug, missing)))
    if actor.aliases:
        hint = _("So that links to the former address lead here, write instead: {line}")
    else:
        hint = _("So that links to the former address lead here, add this line: {line}")
    return Problem(
        actor.source,
        actor.lines.get("slug"),
        message,
        hint.format(line=line_text),
        severity="warning",
        code="address-moved",
    )


def _deleted(owner: Owner, missing: list[str]) -> Problem:
    """The actor's file is gone (or holds another actor)."""
    message = ngettext(
        "the profile '{name}' is gone: its address {old} will answer 404 (page not found)",
        "the profile '{name}' is gone: its addresses {old} will answer 404 (page not found)",
        len(missing),
    ).format(name=owner.name, old=_shown(missing))
    hint = _(
        "If another profile takes its place, add to that profile's file: {line} "
        "(its links then lead there)."
    ).format(line=aliases_line(map(_slug, missing)))
    return Problem(owner.source, None, message, hint, severity="warning", code="address-deleted")


def _unowned(route: str, slug: str, actors: str) -> Problem:
    """A profile's address gone, the record not saying whose it was."""
    return Problem(
        actors,
        None,
        _("the address /{route} disappears: it will answer 404 (page not found)").format(
            route=route
        ),
        _("If a profile now stands in for it, add to that profile's file: {line}").format(
            line=aliases_line([slug])
        ),
        severity="warning",
        code="address-deleted",
    )


def _listed(gone: list[str]) -> str:
    """The first few addresses, and how many more."""
    shown = _shown(gone[:SHOWN])
    if len(gone) > SHOWN:
        shown += " " + _("and {count} more").format(count=len(gone) - SHOWN)
    return shown


def _clients_gone(gone: list[str], clients_file: str) -> Problem:
    """Client pages go when no actor names the client any more (nothing redirects them)."""
    message = ngettext(
        "the client page {pages} disappears: no profile names this client any more",
        "{count} client pages disappear, no profile naming their client any more: {pages}",
        len(gone),
    ).format(count=len(gone), pages=_listed(gone))
    hint = _(
        "Nothing to do if a client's name was changed or removed on purpose: links to the "
        "former page will answer 404 (page not found)."
    )
    return Problem(clients_file, None, message, hint, severity="warning", code="client-page-gone")


def _terms_gone(gone: list[str], vocabularies_file: str) -> Problem:
    """Term pages go when their term leaves vocabularies.yaml."""
    message = ngettext(
        "the page {pages} disappears: its term is no longer in the vocabularies",
        "{count} pages of terms disappear, their terms no longer in the vocabularies: {pages}",
        len(gone),
    ).format(count=len(gone), pages=_listed(gone))
    hint = _(
        "Nothing to do if the term was renamed or removed on purpose: links to the former "
        "page will answer 404 (page not found)."
    )
    return Problem(
        vocabularies_file, None, message, hint, severity="warning", code="term-page-gone"
    )
