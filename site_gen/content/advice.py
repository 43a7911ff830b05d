"""Warnings about a valid catalogue: things worth a look that do not stop the build.

Each rule reads one loaded Actor and points at the line of the key concerned (line 1 when the
key is missing), so an editor sees the warning where the fix goes. An actor read from the
cache comes without its Markdown (Actor.has_texts): a rule about the texts belongs in
actorfile.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from site_gen.content.model import Actor, Catalogue
from site_gen.errors import Problem
from site_gen.i18n import _


def _warning(actor: Actor, key: str, message: str, hint: str, code: str) -> Problem:
    line = actor.lines.get(key, 1)
    return Problem(actor.source, line, message, hint, severity="warning", code=code)


def no_summary(actor: Actor) -> Iterator[Problem]:
    if not actor.summary:
        yield _warning(
            actor,
            "summary",
            _("no summary: lists and search engines show only the name"),
            _("Add a line `summary: …`, one sentence saying what the actor does."),
            "no-summary",
        )


def no_territories(actor: Actor) -> Iterator[Problem]:
    if not actor.territories:
        yield _warning(
            actor,
            "territories",
            _("no territories: the profile appears on no territory page"),
            _("Add the regions where the actor works, for example: territories: [Occitanie]"),
            "no-territories",
        )


def website_without_https(actor: Actor) -> Iterator[Problem]:
    if actor.website.lower().startswith("http://"):
        yield _warning(
            actor,
            "website",
            _("website: '{url}' is not a secure address (http:// rather than https://)").format(
                url=actor.website
            ),
            _("If the site opens with https://, write instead: {line}").format(
                line="website: https://" + actor.website[len("http://") :]
            ),
            "http-website",
        )


RULES: tuple[Callable[[Actor], Iterator[Problem]], ...] = (
    no_summary,
    no_territories,
    website_without_https,
)


def advise(catalogue: Catalogue) -> list[Problem]:
    """Every warning about every actor, sorted by file and line."""
    return sorted(p for actor in catalogue.actors for p in advise_actor(actor))


def advise_actor(actor: Actor) -> tuple[Problem, ...]:
    """The warnings about one actor."""
    return tuple(p for rule in RULES for p in rule(actor))
