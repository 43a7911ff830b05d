"""Editors' files derived from the schema: a new actor file (`new`) and the guide's key table.

Nothing here writes: `new_actor` returns the path and the text, the CLI creates the file.
Every key of ACTOR_FIELDS appears in a new file with its French doc as a comment; the
required ones are filled in, the optional ones commented out, so the file passes `check`
as soon as it is created and an editor fills a key by removing its `# `.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from site_gen.content.contentfile import parse_yaml, read_text, split_front_matter
from site_gen.content.load import ACTOR_SUFFIXES
from site_gen.content.schema import ACTOR_FIELDS, Field, Kind
from site_gen.content.vocabularies import VOCABULARY_FILE, load_vocabularies
from site_gen.errors import Problem, UsageError, display_path
from site_gen.i18n import _
from site_gen.text import slugify

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/actor.schema.json"
LIST_KINDS = ("TEXT_LIST", "TERM_LIST", "OBJECT_LIST", "SLUG_LIST")

# What each kind of value looks like, in the editors' words (by name, so that a kind added to
# the schema without a French label shows its English one until someone writes it here).
KIND_FR = {
    "POSITIVE_INTEGER": "nombre entier positif",
    "TEXT": "texte",
    "PLAIN_TEXT": "texte sur une seule ligne",
    "SLUG": "adresse courte (minuscules, chiffres, tirets)",
    "URL": "adresse web complète (https://…)",
    "EMAIL": "adresse e-mail",
    "MARKDOWN": "texte Markdown",
    "BOOLEAN": "true (oui) ou false (non)",
    "DATE": "date AAAA-MM-JJ",
    "TEXT_LIST": "liste de textes",
    "TERM_LIST": "liste de termes du vocabulaire",
    "OBJECT_LIST": "liste d'entrées",
    "SLUG_LIST": "liste d'adresses courtes",
    "IMAGE": "chemin d'une image PNG, JPEG ou WebP",
}

INTRO = """\
# Fiche créée par la commande `new`. Les lignes qui commencent par « # » sont des
# explications : le site les ignore. Pour remplir une clé facultative, effacez le « # »
# et l'espace au début de sa ligne (et des lignes « #   - » qui la suivent), puis écrivez
# la valeur après les deux-points. Vérifiez ensuite la fiche avec `make check`.
"""


def kind_fr(f: Field) -> str:
    label = KIND_FR.get(f.kind.name, f.kind.value)
    if f.fields:
        label += " {" + ", ".join(s.name + ("*" if s.required else "") for s in f.fields) + "}"
    return label


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, 90, break_on_hyphens=False)]


def _field_lines(f: Field, value: str | None, terms: dict[str, list[str]]) -> list[str]:
    """The comment explaining `f`, then its line: filled in if `value`, else commented out."""
    doc = f.doc + (" Obligatoire." if f.required else "")
    if f.kind is Kind.MARKDOWN:
        doc += f" Sur plusieurs lignes : « {f.name}: | », puis le texte décalé de deux espaces."
    lines = _comment(doc)
    if f.kind is Kind.TERM_LIST and terms.get(f.vocabulary or ""):
        lines += _comment("Termes possibles : " + ", ".join(terms[f.vocabulary or ""]) + ".")
    if f.example:
        lines.append(f"# Exemple : {f.name}: {f.example}")
    if value is not None:
        return [*lines, f"{f.name}: {value}"]
    lines.append(f"# {f.name}:")
    if f.kind.name in LIST_KINDS:
        subkeys = [s.name for s in f.fields] or [""]
        lines.append(f"#   - {subkeys[0]}{':' if f.fields else ''}".rstrip())
        lines += [f"#     {name}:" for name in subkeys[1:]]
    return lines


@dataclass(frozen=True)
class NewActor:
    path: Path
    text: str
    id: int


def actor_text(name: str, actor_id: int, markdown: bool, terms: dict[str, list[str]]) -> str:
    """The new file: every key of the schema, in the schema's order, each with its doc."""
    values = {
        "id": str(actor_id),
        "name": json.dumps(name, ensure_ascii=False),
        "updated": date.today().isoformat(),
    }
    blocks = [
        _field_lines(f, values.get(f.name), terms)
        for f in ACTOR_FIELDS
        if not (markdown and f.name == "about")
    ]
    keys = "\n\n".join("\n".join(block) for block in blocks) + "\n"
    if not markdown:
        return f"{SCHEMA_LINE}\n{INTRO}\n{keys}"
    about = "« Qui sommes-nous ? » (Markdown) : écrivez-le sous la ligne --- qui suit."
    return f"---\n{INTRO}\n{keys}\n" + "\n".join(_comment(about)) + "\n---\n\n"


def _existing(actors_dir: Path, content_dir: Path) -> dict[Path, dict]:
    """The keys of every readable actor file (unreadable ones are `check`'s business)."""
    found = {}
    for path in sorted(actors_dir.iterdir()) if actors_dir.is_dir() else ():
        if path.suffix not in ACTOR_SUFFIXES or not path.is_file():
            continue
        ignored: list[Problem] = []
        text = read_text(path, content_dir, ignored)
        if text is not None and path.suffix == ".md":
            parts = split_front_matter(text, str(path), ignored)
            text = parts[0] if parts else None
        doc = parse_yaml(text, str(path), ignored) if text is not None else None
        found[path] = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    return found


def new_actor(content_dir: Path, name: str, markdown: bool = False) -> NewActor:
    """The file to create for a new actor named `name`; refuses to reuse a file or address."""
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug:
        raise UsageError(
            _("no file name can be made from '{name}': use letters or digits").format(name=name)
        )
    actors_dir = content_dir / "actors"
    path = actors_dir / (slug + (".md" if markdown else ".yaml"))
    existing = _existing(actors_dir, content_dir)
    for other, data in existing.items():
        other_slug = data.get("slug") or slugify(str(data.get("name") or ""))
        if other.stem == slug or other_slug == slug:
            if other.stem == slug:
                message = _(
                    "{file} already exists; refusing to overwrite it. "
                    "Edit that file, or choose another name."
                )
            else:
                message = _(
                    "{file} already uses the address /acteurs/{slug}/; refusing to overwrite "
                    "it. Edit that file, or choose another name."
                )
            raise UsageError(message.format(file=display_path(other), slug=slug))
    ids = [d["id"] for d in existing.values() if type(d.get("id")) is int]
    problems: list[Problem] = []
    vocabularies = load_vocabularies(content_dir / VOCABULARY_FILE, problems)
    terms = {} if problems else vocabularies.labels()
    actor_id = max(ids, default=0) + 1
    return NewActor(path, actor_text(name, actor_id, markdown, terms), actor_id)


def markdown_table_fr() -> str:
    """The key table of the editors' guide (docs/guide-editeurs.md), in French."""
    rows = ["| clé | type de valeur | obligatoire | ce qu'on y met |", "|---|---|---|---|"]
    for f in ACTOR_FIELDS:
        rows.append(f"| `{f.name}` | {kind_fr(f)} | {'oui' if f.required else 'non'} | {f.doc} |")
    return "\n".join(rows)
