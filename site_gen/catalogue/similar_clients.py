"""Clients whose names look like two spellings of one body ("Montpellier Métropole" and
"Montpellier Méditerranée Métropole"): each has its own client page until
content/clients.yaml merges them, so each is a warning giving the line to add there.

The rule, chosen for few false positives: names are compared by their words, folded as
client keys are (case, accents, punctuation) and without the small words (de, du, la,
l', et…). Two clients look alike when every word of the one with fewer words is a word of
the other, that one having at least two words and the other at most two more ("Région
Grand Est" / "Grand Est", "Lyon Métropole" / "Métropole de Lyon"). One word may differ by a
typo (one letter added, removed, changed or two swapped) if both spellings have eight
letters or more ("Montpelier" / "Montpellier"): shorter words are too often other places
(Nantes / Mantes, Vannes / Cannes). So "Ville de Lyon" and "Métropole de Lyon" (two
bodies) are not alike, nor "Lyon" and "Ville de Lyon" (one word says too little). A name
alike to several longer ones ("Communauté de communes", within "Communauté de communes du
Pays de Gex" and "… du Val de Drôme") is left out: it would merge into which?

Only clients that share their rarest word (or a typo of it) are compared, so the cost
follows the number of names, not its square. Names like each other in chains are grouped,
and the group's most named client is the one the others would merge into.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from site_gen.content.model import Actor, Catalogue
from site_gen.errors import Problem, display_path
from site_gen.i18n import _, ngettext
from site_gen.text import client_key, sort_key

SMALL_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "par",
        "pour",
        "sous",
        "sur",
    ]
)
TYPO_FROM = 8  # letters in both spellings of a word for a typo between them to be allowed
MORE_WORDS = 2  # words the longer name may have beyond those of the shorter
_NEEDS_QUOTES = re.compile(r"[,\[\]{}#:\"]|^[\s&*!|>'%@`?-]|\s$")


@dataclass
class _Client:
    """A client as the actors name it: each spelling with the actors naming it so (once a
    mention, in catalogue order), and the words it is compared by."""

    key: str
    words: tuple[str, ...]
    spellings: dict[str, list[Actor]] = field(default_factory=dict)

    def name(self) -> str:
        """The spelling most mentions use (ties: French order)."""
        return min(self.spellings, key=lambda n: (-len(self.spellings[n]), sort_key(n)))

    def actors(self) -> list[Actor]:
        """The actors naming it, once each, the first to name it first."""
        found = {a.id: a for named in self.spellings.values() for a in named}
        return list(found.values())


def similar_clients(catalogue: Catalogue, content_dir: Path) -> tuple[Problem, ...]:
    """A warning for each client whose name looks like another's (see the module's rule),
    on the first actor file naming it, with the line that merges them in clients.yaml."""
    found = _clients(catalogue)
    groups = _groups(found)
    clients_file = display_path(content_dir / "clients.yaml")
    problems = []
    for group in groups:
        into = max(group, key=lambda c: _rank(c, catalogue))
        others = sorted((c for c in group if c is not into), key=lambda c: sort_key(c.name()))
        for client in others:
            if _listed(into, catalogue) and _listed(client, catalogue):
                continue  # both in clients.yaml: two bodies, as far as the editors know
            problems.append(_warning(client, into, others, catalogue, clients_file))
    return tuple(sorted(problems, key=Problem.sort_key))


def words(key: str) -> tuple[str, ...]:
    """The words a client's key is compared by: without the small words, once each."""
    return tuple(dict.fromkeys(w for w in key.split("-") if w not in SMALL_WORDS))


def alike(fewer: tuple[str, ...], more: tuple[str, ...]) -> bool:
    """Whether the names of these words look like one body's (see the module's rule);
    `fewer` has no more words than `more`."""
    if len(fewer) < 2 or len(more) - len(fewer) > MORE_WORDS:
        return False
    left = list(more)
    typos = 0
    for word in fewer:
        if word in left:
            left.remove(word)
            continue
        typos += 1
        if typos > 1 or len(word) < TYPO_FROM:
            return False
        typo = next((w for w in left if _one_typo(word, w)), None)
        if typo is None:
            return False
        left.remove(typo)
    return True


def _clients(catalogue: Catalogue) -> list[_Client]:
    """Every client the actors name, variants merged as the client pages merge them; each
    spelling's key made once (most actors name the same few clients)."""
    canonical = catalogue.client_aliases.canonical_by_key
    by_spelling: dict[str, list[Actor]] = defaultdict(list)
    for actor in catalogue.actors:
        for name in actor.clients:
            by_spelling[name].append(actor)
        for experience in actor.experiences:
            by_spelling[experience.client].append(actor)
    by_key: dict[str, _Client] = {}
    for spelling, actors in by_spelling.items():
        key = client_key(spelling)
        if key in canonical:
            key = client_key(canonical[key])
        if key:
            client = by_key.get(key) or by_key.setdefault(key, _Client(key, words(key)))
            client.spellings[spelling] = actors
    return list(by_key.values())


def _tokens(word: str) -> Iterable[str]:
    """What a word is filed under: itself and, if long enough for a typo, itself with one
    letter removed (two words one typo apart share one of those)."""
    yield word
    if len(word) >= TYPO_FROM:
        for i in range(len(word)):
            yield word[:i] + word[i + 1 :]


def _groups(clients: list[_Client]) -> list[list[_Client]]:
    """The clients that look alike, in groups (chains of pairs), in a stable order."""
    naming: dict[str, list[int]] = defaultdict(list)  # word → the clients holding it
    for number, client in enumerate(clients):
        for word in client.words:
            naming[word].append(number)
    spelt: dict[str, list[str]] = defaultdict(list)  # token → the words filed under it
    for word in naming:
        for token in _tokens(word):
            spelt[token].append(word)
    parent = list(range(len(clients)))

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    for number, client in enumerate(clients):
        if len(client.words) < 2:
            continue
        # a name alike to this one (with as many words or more) holds its rarest word
        rarest = min(client.words, key=lambda w: len(naming[w]))
        spellings = {w for t in _tokens(rarest) for w in spelt.get(t, ())}
        near = {n for w in spellings for n in naming[w]}
        fuller = [
            other
            for other in near
            if other != number
            and len(clients[other].words) >= len(client.words)
            and alike(client.words, clients[other].words)
        ]
        # A name within several others ("Communauté de communes") says too little to
        # tell which it would merge into: it joins no group, nor joins them together.
        if len(fuller) == 1:
            parent[root(fuller[0])] = root(number)
    grouped: dict[int, list[_Client]] = defaultdict(list)
    for number, client in enumerate(clients):
        grouped[root(number)].append(client)
    groups = [g for g in grouped.values() if len(g) > 1]
    return sorted(groups, key=lambda g: min(c.key for c in g))


def _listed(client: _Client, catalogue: Catalogue) -> bool:
    """Whether clients.yaml has an entry for the client."""
    return client.key in catalogue.client_aliases.canonical_by_key


def _rank(client: _Client, catalogue: Catalogue) -> tuple:
    """Which client of a group the others merge into: one clients.yaml names already, then
    the one most actors name, then the fuller name."""
    return (_listed(client, catalogue), len(client.actors()), len(client.words), client.key)


def _warning(
    client: _Client, into: _Client, group: list[_Client], catalogue: Catalogue, clients_file: str
) -> Problem:
    """The warning on the first actor naming `client`, which would merge into `into`."""
    actor = client.actors()[0]
    # where the other spelling is written: another file than this one, if any
    named_by = into.actors()
    first = next((a for a in named_by if a.id != actor.id), actor)
    count = len(named_by)
    message = ngettext(
        "the client '{name}' looks like '{other}', which {file} names: they have two "
        "client pages, if they are one body",
        "the client '{name}' looks like '{other}', which {count} profiles name ({file}…): "
        "they have two client pages, if they are one body",
        count,
    ).format(name=client.name(), other=into.name(), count=count, file=first.source)
    listed = catalogue.client_aliases.canonical_by_key.get(into.key)
    if listed is not None:
        hint = _("If they are one body, add '{name}' to the aliases of '{other}' in {file}.")
        hint = hint.format(name=client.name(), other=listed, file=clients_file)
    else:
        variants = ", ".join(_flow(c.name()) for c in group)
        if catalogue.client_aliases.listed:
            line = f"- {{name: {_flow(into.name())}, aliases: [{variants}]}}"
            hint = _("If they are one body, add this line under `clients:` in {file}: {line}")
        else:
            line = f"{_flow(into.name())}: [{variants}]"
            hint = _("If they are one body, add this line to {file}: {line}")
        hint = hint.format(file=clients_file, line=line)
    line_number = actor.lines.get("clients") if _in_clients(actor, client) else None
    line_number = line_number or actor.lines.get("experiences") or actor.lines.get("clients")
    return Problem(
        actor.source,
        line_number,
        message,
        hint,
        severity="warning",
        code="similar-clients",
    )


def _in_clients(actor: Actor, client: _Client) -> bool:
    """Whether the actor names the client in `clients` (else in its experiences)."""
    return any(name in client.spellings for name in actor.clients)


def _flow(name: str) -> str:
    """A name as a value of a YAML list or mapping written on one line: quoted if needed."""
    return json.dumps(name, ensure_ascii=False) if _NEEDS_QUOTES.search(name) else name


def _one_typo(a: str, b: str) -> bool:
    """Two words, both of TYPO_FROM letters or more, one letter added, removed, changed or
    two neighbours swapped apart."""
    if min(len(a), len(b)) < TYPO_FROM or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):  # one letter more in b
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:  # one letter changed
        return True
    swapped = start + 1 < len(a) and a[start] == b[start + 1] and a[start + 1] == b[start]
    return swapped and a[start + 2 :] == b[start + 2 :]
