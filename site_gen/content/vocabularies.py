"""The two lists the actors refer to: the terms of vocabularies.yaml and the client
aliases of clients.yaml, each checked, with every problem reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from site_gen.content.contentfile import parse_yaml, read_text
from site_gen.content.model import ClientAliases, Term, Vocabularies
from site_gen.content.schema import SLUG_PATTERN, VOCABULARY_NAMES
from site_gen.content.yamlfile import YamlDocument
from site_gen.errors import Problem, display_path
from site_gen.i18n import _
from site_gen.text import client_key

VOCABULARY_FILE = "vocabularies.yaml"
CLIENTS_FILE = "clients.yaml"


def load_vocabularies(path: Path, problems: list[Problem]) -> Vocabularies:
    source = display_path(path)
    found: dict[str, tuple[Term, ...]] = {name: () for name in VOCABULARY_NAMES}
    text = read_text(path, path.parent, problems) if path.exists() else None
    if text is None:
        if not path.exists():
            problems.append(
                Problem(
                    source,
                    None,
                    _("the vocabularies file is missing"),
                    _("Create it with `territories:` and `contexts:` lists."),
                    code="missing-file",
                )
            )
        return Vocabularies(**found)
    doc = parse_yaml(text, source, problems)
    data = doc.data if doc else None
    if not isinstance(data, dict):
        if doc is not None:
            problems.append(
                Problem(
                    source,
                    1,
                    _("expected the keys `territories:` and `contexts:`"),
                    _("Each vocabulary is a key followed by its list of terms."),
                    code="not-keys",
                )
            )
        return Vocabularies(**found)
    for key in data:
        if key not in VOCABULARY_NAMES:
            problems.append(
                Problem(
                    source,
                    doc.line_of((key,)),
                    _("unknown vocabulary '{name}'").format(name=key),
                    _("Only `territories` and `contexts` exist."),
                    code="unknown-key",
                )
            )
    for name in VOCABULARY_NAMES:
        found[name] = _vocabulary(name, data.get(name), doc, source, problems)
    return Vocabularies(**found)


def _vocabulary(
    name: str, entries: Any, doc: YamlDocument, source: str, problems: list[Problem]
) -> tuple[Term, ...]:
    if not isinstance(entries, list):
        problems.append(
            Problem(
                source,
                doc.line_of((name,)),
                _("{name}: expected a list of terms").format(name=name),
                _("Each term: `- {example}`").format(example="{label: Bretagne, slug: bretagne}"),
                code="not-a-list",
            )
        )
        return ()
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = doc.line_of((name, index))
        if (
            not isinstance(entry, dict)
            or set(entry) != {"label", "slug"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            problems.append(
                Problem(
                    source,
                    line,
                    _("{name}: each term needs exactly a `label` and a `slug`").format(name=name),
                    _("For example: - {example}").format(
                        example="{label: Bretagne, slug: bretagne}"
                    ),
                    code="invalid-term",
                )
            )
            continue
        label, slug = entry["label"].strip(), entry["slug"].strip()
        if not re.match(SLUG_PATTERN, slug):
            problems.append(
                Problem(
                    source,
                    line,
                    _("{name}: slug '{slug}' is not valid").format(name=name, slug=slug),
                    _("Use lower-case letters a-z, digits and single hyphens."),
                    code="invalid-slug",
                )
            )
            continue
        for key in (label, "slug:" + slug):
            if key in seen:
                problems.append(
                    Problem(
                        source,
                        line,
                        _("{name}: '{term}' is already used on line {line}").format(
                            name=name, term=key.removeprefix("slug:"), line=seen[key]
                        ),
                        _("Each label and each slug is used by one term only."),
                        code="listed-twice",
                    )
                )
            seen[key] = line or 0
        terms.append(Term(name, label, slug))
    return tuple(terms)


def _client_entries(
    doc: YamlDocument, source: str, problems: list[Problem]
) -> Iterator[tuple[Any, Any, int | None]]:
    """(name, variants, line) of each client of clients.yaml, written either way: one key
    per client (`Nom retenu: [variante 1, variante 2]`), or as the web editor writes it, a
    list under `clients:` of `name:` and `aliases:`."""
    entries = doc.data.get("clients")
    if len(doc.data) != 1 or not isinstance(entries, list) or not entries:
        yield from ((name, v, doc.line_of((name,))) for name, v in doc.data.items())
        return
    if not all(isinstance(entry, dict) for entry in entries):
        yield "clients", entries, doc.line_of(("clients",))
        return
    for index, entry in enumerate(entries):
        line = doc.line_of(("clients", index))
        unknown = set(entry) - {"name", "aliases"}
        if unknown or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            problems.append(
                Problem(
                    source,
                    line,
                    "expected `name:` and `aliases:` for each client",
                    "For example: - {name: Métropole de Lyon, aliases: [Grand Lyon]}",
                )
            )
            continue
        yield entry["name"].strip(), entry.get("aliases") or [], line


def load_client_aliases(path: Path, problems: list[Problem]) -> ClientAliases:
    """content/clients.yaml: `Canonical name: [variant, variant]` (or the list form of
    `_client_entries`); the file is optional."""
    if not path.exists():
        return ClientAliases()
    source = display_path(path)
    text = read_text(path, path.parent, problems)
    doc = parse_yaml(text, source, problems) if text is not None else None
    if doc is None or doc.data is None:
        return ClientAliases()
    hint = _("Write each client as `Nom retenu: [variante 1, variante 2]`.")
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                source,
                1,
                _("expected client names followed by their variants"),
                hint,
                code="not-keys",
            )
        )
        return ClientAliases()
    canonical_by_key: dict[str, str] = {}
    for canonical, variants, line in _client_entries(doc, source, problems):
        if not isinstance(variants, list) or not all(
            isinstance(v, str) and v.strip() for v in variants
        ):
            problems.append(
                Problem(
                    source,
                    line,
                    _("{client}: expected a list of names").format(client=canonical),
                    hint,
                    code="not-a-list",
                )
            )
            continue
        for name in (canonical, *variants):
            key = client_key(name)
            if canonical_by_key.get(key, canonical) != canonical:
                problems.append(
                    Problem(
                        source,
                        line,
                        _("'{name}' is already merged into '{client}'").format(
                            name=name, client=canonical_by_key[key]
                        ),
                        _("A spelling can belong to one client only."),
                        code="listed-twice",
                    )
                )
                continue
            canonical_by_key[key] = canonical
    return ClientAliases(canonical_by_key)
