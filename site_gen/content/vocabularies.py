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
from site_gen.text import client_key, nearest

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
        if key not in (*VOCABULARY_NAMES, CLIENT_TYPES):
            problems.append(
                Problem(
                    source,
                    doc.line_of((key,)),
                    _("unknown vocabulary '{name}'").format(name=key),
                    _("Only `territories`, `contexts` and `client_types` exist."),
                    code="unknown-key",
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
) -> Iterator[tuple[Any, Any, tuple]]:
    """(name, what follows it, where it is in the document) of each client of clients.yaml,
    written either way: one key per client (`Nom retenu: [variantes]` or `Nom retenu:
    {type, territory, aliases}`), or as the web editor writes it, a list under `clients:`
    of `name:`, `type:`, `territory:` and `aliases:`."""
    entries = doc.data.get("clients")
    if len(doc.data) != 1 or not isinstance(entries, list) or not entries:
        yield from ((name, value, (name,)) for name, value in doc.data.items())
        return
    if not all(isinstance(entry, dict) for entry in entries):
        yield "clients", entries, ("clients",)
        return
    for index, entry in enumerate(entries):
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                Problem(
                    source,
                    doc.line_of(("clients", index)),
                    _("expected `name:` for each client"),
                    _("For example: - {example}").format(
                        example="{name: Métropole de Lyon, aliases: [Grand Lyon]}"
                    ),
                    code="invalid-client",
                )
            )
            continue
        rest = {key: value for key, value in entry.items() if key != "name"}
        yield name.strip(), rest, ("clients", index)


def load_client_aliases(
    path: Path, problems: list[Problem], vocabularies: Vocabularies | None = None
) -> ClientAliases:
    """content/clients.yaml, optional: each client's name to show, followed by the other
    spellings editors use for it (`Nom retenu: [variante 1, variante 2]`), or by what it
    is (`Nom retenu: {type: Métropole, territory: Occitanie, aliases: [variante]}`), the
    type and territory among the terms of vocabularies.yaml (`client_types`, `territories`);
    or the list form of `_client_entries`."""
    if not path.exists():
        return ClientAliases()
    source = display_path(path)
    text = read_text(path, path.parent, problems)
    doc = parse_yaml(text, source, problems) if text is not None else None
    if doc is None or doc.data is None:
        return ClientAliases()
    hint = _(
        "Write each client as `Nom retenu: [variante 1, variante 2]`, or "
        "`Nom retenu: {type: Commune, territory: Bretagne, aliases: [variante]}`."
    )
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
    types = vocabularies.client_types if vocabularies else ()
    territories = vocabularies.territories if vocabularies else ()
    canonical_by_key: dict[str, str] = {}
    type_by_key: dict[str, Term] = {}
    territory_by_key: dict[str, Term] = {}
    for canonical, entry, at in _client_entries(doc, source, problems):
        line = doc.line_of(at)
        variants = entry
        if isinstance(entry, dict):
            unknown = [k for k in entry if k not in ("type", "territory", "aliases")]
            for key in unknown:
                guess = nearest(str(key), ["type", "territory", "aliases"])
                problems.append(
                    Problem(
                        source,
                        doc.line_of((*at, key)) or line,
                        _("{client}: unknown key '{key}'").format(client=canonical, key=key),
                        _("Did you mean '{key}'?").format(key=guess) if guess else hint,
                        code="unknown-key",
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
                                doc.line_of((*at, key)) or line,
                                _(
                                    "{client}: {key} '{value}' is not in the `{where}` "
                                    "of vocabularies.yaml"
                                ).format(client=canonical, key=key, value=entry[key], where=where),
                                _("Did you mean '{key}'?").format(key=guess)
                                if guess
                                else _("Known: {terms}").format(terms=", ".join(labels) or "—"),
                                code="not-in-vocabulary",
                            )
                        )
                    else:
                        found[client_key(canonical)] = term
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
    listed = list(doc.data) == ["clients"] and isinstance(doc.data["clients"], list)
    return ClientAliases(canonical_by_key, type_by_key, territory_by_key, listed)


def _term_of(value: object, vocabulary: tuple[Term, ...]) -> Term | None:
    """The term written as its label or its slug."""
    if not isinstance(value, str):
        return None
    return next((t for t in vocabulary if value.strip() in (t.label, t.slug)), None)
