"""The actor file schema, defined once: validation, the editors' JSON Schema and docs read it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^[^@\s<>()\[\],;:\"]+@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+$"
SUMMARY_MAX_LENGTH = 300
MAX_FILE_BYTES = 1_000_000
# A slug names a folder of the site (acteurs/SLUG/) and files (logos/SLUG.DIGEST.png,
# acteurs/SLUG.json): well under the 255 bytes a file name may take.
MAX_SLUG_LENGTH = 100
# Whole numbers (ids) up to a bound JavaScript holds exactly: the search page computes
# file names from ids.
MAX_WHOLE_NUMBER = 10**9


class Kind(Enum):
    """What a value must look like; each kind has one checker in validate.py."""

    POSITIVE_INTEGER = "positive integer"
    TEXT = "text"
    PLAIN_TEXT = "plain text on one line"
    SLUG = "slug"
    URL = "http(s) URL"
    EMAIL = "e-mail address"
    MARKDOWN = "Markdown text"
    BOOLEAN = "true or false"
    DATE = "date YYYY-MM-DD"
    TEXT_LIST = "list of text"
    TERM_LIST = "list of vocabulary terms"
    OBJECT_LIST = "list of entries"
    SLUG_LIST = "list of slugs"
    IMAGE = "image file (PNG, JPEG or WebP)"


@dataclass(frozen=True)
class Field:
    """One key of an actor file."""

    name: str
    kind: Kind
    doc: str  # French: editors read it in the README table, the JSON Schema and their editor
    required: bool = False
    max_length: int | None = None
    vocabulary: str | None = None  # for TERM_LIST: "territories" or "contexts"
    fields: tuple[Field, ...] = field(default_factory=tuple)  # for OBJECT_LIST entries
    example: str = ""


SERVICE_FIELDS = (
    Field("title", Kind.TEXT, "Intitulé du service.", required=True),
    Field("tagline", Kind.TEXT, "Accroche courte qui résume le service."),
    Field("description", Kind.MARKDOWN, "Description du service (Markdown)."),
)

EXPERIENCE_FIELDS = (
    Field("client", Kind.TEXT, "Structure accompagnée (collectivité, organisme…).", required=True),
    Field("title", Kind.TEXT, "Intitulé de la mission."),
    Field("description", Kind.MARKDOWN, "Ce qui a été fait (Markdown)."),
)

ACTOR_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        Kind.POSITIVE_INTEGER,
        "Numéro unique de l'acteur (« Profil acteur #293 »).",
        required=True,
        example="293",
    ),
    Field(
        "name", Kind.TEXT, "Nom de l'acteur tel qu'il s'affiche.", required=True, example="PASSAGES"
    ),
    Field(
        "slug",
        Kind.SLUG,
        "Adresse de la fiche (/acteurs/<slug>/) ; par défaut tirée du nom.",
        example="passages",
    ),
    Field("legal_form", Kind.TEXT, "Forme juridique (GIE, SCOP, association…).", example="GIE"),
    Field(
        "summary",
        Kind.PLAIN_TEXT,
        "Résumé en une phrase, pour les listes et les moteurs de "
        "recherche (300 caractères au plus).",
        max_length=SUMMARY_MAX_LENGTH,
    ),
    Field(
        "website",
        Kind.URL,
        "Site web, adresse complète en http:// ou https://.",
        example="https://www.exemple.fr",
    ),
    Field("email", Kind.EMAIL, "Adresse e-mail de contact.", example="contact@exemple.fr"),
    Field("phone", Kind.TEXT, "Téléphone, entre guillemets.", example='"04 72 00 00 00"'),
    Field("city", Kind.TEXT, "Ville du siège.", example="Lyon"),
    Field(
        "services",
        Kind.OBJECT_LIST,
        "Description des services : title (obligatoire), tagline, description.",
        fields=SERVICE_FIELDS,
    ),
    Field(
        "about",
        Kind.MARKDOWN,
        "« Qui sommes-nous ? » (Markdown). Dans un fichier .md, c'est le texte après l'en-tête.",
    ),
    Field("clients", Kind.TEXT_LIST, "Accompagnements réalisés : structures accompagnées."),
    Field(
        "contexts",
        Kind.TERM_LIST,
        "Contextes d'intervention, parmi le vocabulaire content/vocabularies.yaml.",
        vocabulary="contexts",
    ),
    Field(
        "territories",
        Kind.TERM_LIST,
        "Territoires d'intervention, parmi le vocabulaire content/vocabularies.yaml.",
        vocabulary="territories",
    ),
    Field(
        "experiences",
        Kind.OBJECT_LIST,
        "Expériences : client (obligatoire), title, description.",
        fields=EXPERIENCE_FIELDS,
    ),
    Field(
        "commons",
        Kind.BOOLEAN,
        "Contribue aux communs : true (oui) ou false (non).",
        example="false",
    ),
    Field(
        "updated",
        Kind.DATE,
        "Date de dernière mise à jour de la fiche (AAAA-MM-JJ).",
        example="2026-11-01",
    ),
)

ACTOR_FIELDS += (
    Field(
        "logo",
        Kind.IMAGE,
        "Logo : chemin d'une image PNG, JPEG ou WebP sous content/ (500 Ko au plus ; "
        "pas de SVG, qui peut contenir des scripts).",
        example="logos/passages.png",
    ),
    Field(
        "aliases",
        Kind.SLUG_LIST,
        "Anciennes adresses de la fiche (slugs), qui redirigent vers la nouvelle après un "
        "changement de nom.",
    ),
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
MAX_IMAGE_BYTES = 500_000
FIELDS_BY_NAME = {f.name: f for f in ACTOR_FIELDS}
VOCABULARY_NAMES = ("territories", "contexts")


def _json_type(f: Field, vocabularies: dict[str, list[str]]) -> dict:
    doc = {"description": f.doc}
    match f.kind:
        case Kind.POSITIVE_INTEGER:
            return doc | {"type": "integer", "minimum": 1, "maximum": MAX_WHOLE_NUMBER}
        case Kind.TEXT | Kind.MARKDOWN:
            return doc | {"type": "string", "minLength": 1}
        case Kind.PLAIN_TEXT:
            return doc | {
                "type": "string",
                "minLength": 1,
                "maxLength": f.max_length,
                "pattern": r"^[^\n]*$",
            }
        case Kind.SLUG:
            return doc | {"type": "string", "pattern": SLUG_PATTERN}
        case Kind.URL:
            return doc | {"type": "string", "format": "uri", "pattern": "^https?://"}
        case Kind.EMAIL:
            return doc | {"type": "string", "format": "email", "pattern": EMAIL_PATTERN}
        case Kind.BOOLEAN:
            return doc | {"type": "boolean"}
        case Kind.DATE:
            return doc | {"type": "string", "format": "date"}
        case Kind.TEXT_LIST:
            return doc | {"type": "array", "items": {"type": "string", "minLength": 1}}
        case Kind.TERM_LIST:
            items = {"type": "string", "enum": vocabularies.get(f.vocabulary or "", [])}
            return doc | {"type": "array", "items": items, "uniqueItems": True}
        case Kind.OBJECT_LIST:
            return doc | {"type": "array", "items": _json_object(f.fields, vocabularies)}
        case Kind.SLUG_LIST:
            return doc | {"type": "array", "items": {"type": "string", "pattern": SLUG_PATTERN}}
        case Kind.IMAGE:
            return doc | {"type": "string", "pattern": r"(?i)^[^/].*\.(png|jpe?g|webp)$"}
    raise AssertionError(f.kind)


def _json_property(f: Field, vocabularies: dict[str, list[str]]) -> dict:
    schema = _json_type(f, vocabularies)
    if not f.required:  # `key:` with nothing after it means "not given", as `check` reads it
        schema["type"] = [schema["type"], "null"]
    return schema


def _json_object(fields: tuple[Field, ...], vocabularies: dict[str, list[str]]) -> dict:
    return {
        "type": "object",
        "properties": {f.name: _json_property(f, vocabularies) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(vocabularies: dict[str, list[str]]) -> dict:
    """The editors' JSON Schema (draft 2020-12), vocabularies included as enums."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "actor.schema.json",
        "title": "Fiche acteur",
        "description": "Une fiche de l'annuaire des acteurs de la participation "
        "(content/actors/*.yaml, ou en-tête d'un fichier .md).",
        **_json_object(ACTOR_FIELDS, vocabularies),
    }


def json_schema_text(vocabularies: dict[str, list[str]]) -> bytes:
    """The JSON Schema as published: in the repository and on the site's data page."""
    text = json.dumps(json_schema(vocabularies), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8")


def markdown_table() -> str:
    """The README's table of keys, generated so it cannot drift from the schema."""
    rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
    for f in ACTOR_FIELDS:
        kind = f.kind.value
        if f.fields:
            kind += " {" + ", ".join(s.name + ("*" if s.required else "") for s in f.fields) + "}"
        rows.append(f"| `{f.name}` | {kind} | {'yes' if f.required else 'no'} | {f.doc} |")
    return "\n".join(rows)
