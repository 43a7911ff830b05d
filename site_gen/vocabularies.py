"""The two lists the actors refer to: the terms of vocabularies.yaml and the client
aliases of clients.yaml, each checked, with every problem reported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .contentfile import parse_yaml, read_text
from .errors import Problem, display_path
from .model import ClientAliases, Term, Vocabularies
from .schema import SLUG_PATTERN, VOCABULARY_NAMES
from .text import client_key, nearest
from .yamlfile import YamlDocument

VOCABULARY_FILE = "vocabularies.yaml"
CLIENTS_FILE = "clients.yaml"
CLIENT_TYPES = "client_types"  # optional in vocabularies.yaml: what a client may be


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
                    "the vocabularies file is missing",
                    "Create it with `territories:` and `contexts:` lists.",
                )
            )
        return Vocabularies(**found)
    doc = parse_yaml(text, source, problems)
    data = doc.data if doc else None
    if not isinstance(data, dict):
        if doc is not None:
            problems.append(Problem(source, 1, "expected the keys `territories:` and `contexts:`"))
        return Vocabularies(**found)
    for key in data:
        if key not in (*VOCABULARY_NAMES, CLIENT_TYPES):
            problems.append(
                Problem(
                    source,
                    doc.line_of((key,)),
                    f"unknown vocabulary {key!r}",
                    "Only `territories`, `contexts` and `client_types` exist.",
                )
            )
    for name in VOCABULARY_NAMES:
        found[name] = _vocabulary(name, data.get(name), doc, source, problems)
    types = (
        _vocabulary(CLIENT_TYPES, data[CLIENT_TYPES], doc, source, problems)
        if (CLIENT_TYPES in data)
        else ()
    )
    return Vocabularies(**found, client_types=types)


def _vocabulary(
    name: str, entries: Any, doc: YamlDocument, source: str, problems: list[Problem]
) -> tuple[Term, ...]:
    if not isinstance(entries, list):
        problems.append(
            Problem(
                source,
                doc.line_of((name,)),
                f"{name}: expected a list of terms",
                "Each term: `- {label: Bretagne, slug: bretagne}`",
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
                    f"{name}: each term needs exactly a `label` and a `slug`",
                    "For example: - {label: Bretagne, slug: bretagne}",
                )
            )
            continue
        label, slug = entry["label"].strip(), entry["slug"].strip()
        if not re.match(SLUG_PATTERN, slug):
            problems.append(
                Problem(
                    source,
                    line,
                    f"{name}: slug {slug!r} is not valid",
                    "Use lower-case letters a-z, digits and single hyphens.",
                )
            )
            continue
        for key in (label, "slug:" + slug):
            if key in seen:
                problems.append(
                    Problem(source, line, f"{name}: {key!r} is already used on line {seen[key]}")
                )
            seen[key] = line or 0
        terms.append(Term(name, label, slug))
    return tuple(terms)


def load_client_aliases(
    path: Path, problems: list[Problem], vocabularies: Vocabularies | None = None
) -> ClientAliases:
    """content/clients.yaml, optional: each client's name to show, followed by the other
    spellings editors use for it (`Nom retenu: [variante 1, variante 2]`), or by what it
    is (`Nom retenu: {type: Métropole, territory: Occitanie, aliases: [variante]}`), the
    type and territory among the terms of vocabularies.yaml (`client_types`, `territories`)."""
    if not path.exists():
        return ClientAliases()
    source = display_path(path)
    text = read_text(path, path.parent, problems)
    doc = parse_yaml(text, source, problems) if text is not None else None
    if doc is None or doc.data is None:
        return ClientAliases()
    hint = (
        "Write each client as `Nom retenu: [variante 1, variante 2]`, or "
        "`Nom retenu: {type: Commune, territory: Bretagne, aliases: [variante]}`."
    )
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(source, 1, "expected client names followed by their variants", hint)
        )
        return ClientAliases()
    types = vocabularies.client_types if vocabularies else ()
    territories = vocabularies.territories if vocabularies else ()
    canonical_by_key: dict[str, str] = {}
    type_by_key: dict[str, Term] = {}
    territory_by_key: dict[str, Term] = {}
    for canonical, entry in doc.data.items():
        line = doc.line_of((canonical,))
        variants = entry
        if isinstance(entry, dict):
            unknown = [k for k in entry if k not in ("type", "territory", "aliases")]
            for key in unknown:
                guess = nearest(str(key), ["type", "territory", "aliases"])
                problems.append(
                    Problem(
                        source,
                        doc.line_of((canonical, key)) or line,
                        f"{canonical}: unknown key {key!r}",
                        f"Did you mean {guess!r}?" if guess else hint,
                    )
                )
            variants = entry.get("aliases", [])
            for key, vocabulary, found in (
                ("type", types, type_by_key),
                ("territory", territories, territory_by_key),
            ):
                if key in entry:
                    term = _term_of(entry[key], vocabulary)
                    if term is None:
                        where = "client_types" if key == "type" else "territories"
                        labels = [t.label for t in vocabulary]
                        guess = nearest(str(entry[key]), labels)
                        problems.append(
                            Problem(
                                source,
                                doc.line_of((canonical, key)) or line,
                                f"{canonical}: {key} {entry[key]!r} is not in the `{where}` "
                                "of vocabularies.yaml",
                                f"Did you mean {guess!r}?"
                                if guess
                                else "Known: " + (", ".join(labels) or "none yet"),
                            )
                        )
                    else:
                        found[client_key(canonical)] = term
        if not isinstance(variants, list) or not all(
            isinstance(v, str) and v.strip() for v in variants
        ):
            problems.append(Problem(source, line, f"{canonical}: expected a list of names", hint))
            continue
        for name in (canonical, *variants):
            key = client_key(name)
            if canonical_by_key.get(key, canonical) != canonical:
                problems.append(
                    Problem(
                        source,
                        line,
                        f"{name!r} is already merged into {canonical_by_key[key]!r}",
                        "A spelling can belong to one client only.",
                    )
                )
                continue
            canonical_by_key[key] = canonical
    return ClientAliases(canonical_by_key, type_by_key, territory_by_key)


def _term_of(value: object, vocabulary: tuple[Term, ...]) -> Term | None:
    """The term written as its label or its slug."""
    if not isinstance(value, str):
        return None
    return next((t for t in vocabulary if value.strip() in (t.label, t.slug)), None)
