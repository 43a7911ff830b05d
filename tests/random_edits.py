"""Seeded random edits of a content folder, of every kind an editor makes: each key of the
schema set or removed, actor files added, deleted, renamed or turned from YAML into Markdown,
vocabulary terms added, client aliases added, site settings changed, logos replaced.

The key edits come from `site_gen/content/schema.py`, so a new key is edited here without
anyone teaching this module about it; `Editor.keys_left` says which keys a run has not
edited yet. Every edit leaves a valid catalogue: the point is to compare rebuilds with clean
builds, not to test error messages.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import yaml

from site_gen.content.schema import ACTOR_FIELDS, Field, Kind

WORDS = [
    "concertation",
    "participation",
    "atelier",
    "citoyen",
    "quartier",
    "débat",
    "public",
    "budget",
    "jardin",
    "eau",
    "mobilité",
    "habitat",
    "énergie",
    "école",
    "forêt",
    "rivière",
    "mémoire",
    "santé",
    "numérique",
    "culture",
    "dialogue",
    "médiation",
    "territoire",
    "commun",
    "coopérative",
    "enquête",
    "café",
    "marche",
    "balade",
    "carte",
    "récit",
]
CLIENTS = (
    "Ville de Rennes",
    "Nantes Métropole",
    "Région Occitanie",
    "Grand Lyon",
    "Département du Gers",
    "Parc naturel régional du Vercors",
    "Agence de l'eau Loire-Bretagne",
    "Commune de Saint-Affrique",
)
FILE_CHANGES = (
    "new_actor",
    "delete_actor",
    "rename_file",
    "to_markdown",
    "new_term",
    "new_client_alias",
    "settings",
    "logo_bytes",
)


def png(width: int, height: int, shade: int) -> bytes:
    """A small valid PNG of one grey shade."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes([shade]) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def read_actor(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front) or {}
        if body.strip():
            data["about"] = body.strip() + "\n"
        return data
    return yaml.safe_load(text) or {}


def write_actor(path: Path, data: dict) -> None:
    if path.suffix == ".md":
        data = dict(data)
        body = data.pop("about", "")
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


class Editor:
    """Makes one random edit at a time in `content`, returning what it did."""

    def __init__(self, content: Path, seed: int):
        self.content = content
        self.random = random.Random(seed)
        self.serial = 0
        self.keys_left = [f.name for f in ACTOR_FIELDS]
        self.random.shuffle(self.keys_left)
        self.changes_left = list(FILE_CHANGES)
        self.random.shuffle(self.changes_left)

    # What an edit picks from

    def actors(self) -> list[Path]:
        return sorted(
            p for p in (self.content / "actors").iterdir() if p.suffix in (".yaml", ".md")
        )

    def vocabulary(self) -> dict:
        return yaml.safe_load((self.content / "vocabularies.yaml").read_text(encoding="utf-8"))

    def words(self, count: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(count))

    def unique(self, stem: str) -> str:
        self.serial += 1
        return f"{stem}-{self.serial}-{self.random.randrange(10**6)}"

    def ids(self) -> set[int]:
        return {read_actor(path)["id"] for path in self.actors()}

    def value(self, field: Field, data: dict):
        """A new valid value for `field` in the actor `data`."""
        kind = field.kind
        if field.name == "id":
            return max(self.ids()) + 1 + self.random.randrange(5)
        if field.name == "name":
            return f"{self.words(2).capitalize()} {self.unique('acteur')}"
        if kind is Kind.TEXT:
            return self.words(self.random.randint(1, 4)).capitalize()
        if kind is Kind.PLAIN_TEXT:
            return self.words(self.random.randint(4, 20)).capitalize() + "."
        if kind is Kind.SLUG:
            return self.unique("fiche")
        if kind is Kind.URL:
            return f"https://www.{self.unique('site')}.fr/"
        if kind is Kind.EMAIL:
            return f"contact@{self.unique('courriel')}.fr"
        if kind is Kind.MARKDOWN:
            items = f"- {self.words(2)}\n- {self.words(3)}\n"
            return f"Nous **{self.words(2)}** avec {self.words(3)}.\n\n{items}"
        if kind is Kind.BOOLEAN:
            return not data.get(field.name, False)
        if kind is Kind.DATE:
            return date(2026, 1, 1) + timedelta(days=self.random.randrange(700))
        if kind is Kind.TEXT_LIST:
            return self.random.sample(CLIENTS, self.random.randint(1, 4))
        if kind is Kind.TERM_LIST:
            labels = [term["label"] for term in self.vocabulary()[field.vocabulary]]
            return self.random.sample(labels, self.random.randint(1, 3))
        if kind is Kind.OBJECT_LIST:
            entries = []
            for _ in range(self.random.randint(1, 3)):
                entry = {}
                for sub in field.fields:
                    if sub.required or self.random.random() < 0.6:
                        if sub.name == "client":
                            entry["client"] = self.random.choice(CLIENTS)
                        else:
                            entry[sub.name] = self.value(sub, {})
                entries.append(entry)
            return entries
        if kind is Kind.SLUG_LIST:
            return [self.unique("ancienne-adresse")]
        if kind is Kind.IMAGE:
            logo = f"logos/{self.unique('logo')}.png"
            size = self.random.randint(2, 40)
            (self.content / logo).write_bytes(png(size, size, self.random.randrange(256)))
            return logo
        raise AssertionError(f"no value for {field.name} ({kind})")

    # The edits

    def edit(self) -> str:
        """One edit: the schema keys first (each once, in a random order), the file changes
        next, then any of them at random."""
        if self.keys_left:
            return self.edit_key(self.keys_left.pop())
        if self.changes_left:
            return getattr(self, self.changes_left.pop())()
        if self.random.random() < 0.6:
            return self.edit_key(self.random.choice(ACTOR_FIELDS).name)
        return getattr(self, self.random.choice(FILE_CHANGES))()

    def edit_key(self, name: str) -> str:
        field = next(f for f in ACTOR_FIELDS if f.name == name)
        path = self.random.choice(self.actors())
        data = read_actor(path)
        if not field.required and name in data and self.random.random() < 0.25:
            del data[name]
            write_actor(path, data)
            return f"{path.name}: {name} removed"
        data[name] = self.value(field, data)
        write_actor(path, data)
        return f"{path.name}: {name} set"

    def new_actor(self) -> str:
        data = {"id": max(self.ids()) + 1, "name": self.value(ACTOR_FIELDS[1], {})}
        for field in ACTOR_FIELDS[2:]:
            addresses = field.kind in (Kind.SLUG, Kind.SLUG_LIST)
            if not addresses and self.random.random() < 0.5:
                data[field.name] = self.value(field, data)
        path = self.content / "actors" / f"{self.unique('nouvel-acteur')}.yaml"
        write_actor(path, data)
        return f"{path.name}: new actor"

    def delete_actor(self) -> str:
        path = self.random.choice(self.actors())
        path.unlink()
        return f"{path.name}: deleted"

    def rename_file(self) -> str:
        path = self.random.choice(self.actors())
        target = path.with_name(f"{self.unique('renomme')}{path.suffix}")
        path.rename(target)
        return f"{path.name} → {target.name}"

    def to_markdown(self) -> str:
        yaml_files = [p for p in self.actors() if p.suffix == ".yaml"]
        path = self.random.choice(yaml_files or self.actors())
        data = read_actor(path)
        path.unlink()
        target = path.with_suffix(".md")
        write_actor(target, data)
        return f"{path.name} → {target.name}"

    def new_term(self) -> str:
        vocabulary = self.vocabulary()
        label = f"Thème {self.unique('nouveau')}"
        vocabulary["contexts"].append({"label": label, "slug": self.unique("theme")})
        (self.content / "vocabularies.yaml").write_text(
            yaml.safe_dump(vocabulary, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        path = self.random.choice(self.actors())
        data = read_actor(path)
        data["contexts"] = [*data.get("contexts", []), label]
        write_actor(path, data)
        return f"vocabularies.yaml: {label}, used by {path.name}"

    def new_client_alias(self) -> str:
        """A variant merged into a client, in the list form of clients.yaml (name, aliases)
        or its short form (name: [variants])."""
        path = self.content / "clients.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = data["clients"] if isinstance(data.get("clients"), list) else None
        if entries is None:
            entries = [{"name": name, "aliases": list(v)} for name, v in data.items()]
        taken = {e["name"] for e in entries} | {v for e in entries for v in e.get("aliases", [])}
        name, variant = self.random.sample(CLIENTS, 2)
        if variant in taken:
            return "clients.yaml: unchanged"
        entry = next((e for e in entries if e["name"] == name), None)
        if entry is None:
            if name in taken:
                return "clients.yaml: unchanged"
            entry = {"name": name, "aliases": []}
            entries.append(entry)
        entry.setdefault("aliases", []).append(variant)
        text = yaml.safe_dump({"clients": entries}, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return f"clients.yaml: {variant} → {name}"

    def settings(self) -> str:
        path = self.content / "site.yaml"
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
        key = self.random.choice(["page_size", "feed_size", "description"])
        settings[key] = self.random.randint(2, 8) if key != "description" else self.words(8)
        path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        return f"site.yaml: {key}"

    def logo_bytes(self) -> str:
        with_logo = [p for p in self.actors() if "logo" in read_actor(p)]
        if not with_logo:
            return self.edit_key("logo")
        path = self.random.choice(with_logo)
        logo = self.content / read_actor(path)["logo"]
        size = self.random.randint(2, 40)
        logo.write_bytes(png(size, size + 1, self.random.randrange(256)))
        return f"{logo.name}: new bytes"
