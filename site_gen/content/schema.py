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
    synonyms: tuple[str, ...] = ()  # what a French editor may write instead: "did you mean"


_TITLE = ("titre", "intitulé", "nom")
_TEXT = ("texte", "détail", "détails")

SERVICE_FIELDS = (
    Field("title", Kind.TEXT, "Intitulé du service.", required=True, synonyms=_TITLE),
    Field("tagline", Kind.TEXT, "Accroche courte qui résume le service.", synonyms=("accroche",)),
    Field("description", Kind.MARKDOWN, "Description du service (Markdown).", synonyms=_TEXT),
)

EXPERIENCE_FIELDS = (
    Field(
        "client",
        Kind.TEXT,
        "Structure accompagnée (collectivité, organisme…).",
        required=True,
        synonyms=("structure", "commanditaire", "maître d'ouvrage"),
    ),
    Field("title", Kind.TEXT, "Intitulé de la mission.", synonyms=(*_TITLE, "mission")),
    Field("description", Kind.MARKDOWN, "Ce qui a été fait (Markdown).", synonyms=_TEXT),
)

ACTOR_FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        Kind.POSITIVE_INTEGER,
        "Numéro unique de l'acteur (« Profil acteur #293 »).",
        required=True,
        example="293",
        synonyms=("numéro", "identifiant", "num", "no"),
    ),
    Field(
        "name",
        Kind.TEXT,
        "Nom de l'acteur tel qu'il s'affiche.",
        required=True,
        example="PASSAGES",
        synonyms=("nom", "nom de l'acteur", "raison sociale", "titre"),
    ),
    Field(
        "slug",
        Kind.SLUG,
        "Adresse de la fiche (/acteurs/<slug>/) ; par défaut tirée du nom.",
        example="passages",
        synonyms=("adresse de la fiche", "identifiant web"),
    ),
    Field(
        "legal_form",
        Kind.TEXT,
        "Forme juridique (GIE, SCOP, association…).",
        example="GIE",
        synonyms=("forme juridique", "forme", "statut", "statut juridique"),
    ),
    Field(
        "summary",
        Kind.PLAIN_TEXT,
        "Résumé en une phrase, pour les listes et les moteurs de "
        "recherche (300 caractères au plus).",
        max_length=SUMMARY_MAX_LENGTH,
        synonyms=("résumé", "description", "présentation courte", "accroche"),
    ),
    Field(
        "website",
        Kind.URL,
        "Site web, adresse complète en http:// ou https://.",
        example="https://www.exemple.fr",
        synonyms=("site", "site web", "site internet", "url", "web", "siteweb"),
    ),
    Field(
        "email",
        Kind.EMAIL,
        "Adresse e-mail de contact.",
        example="contact@exemple.fr",
        synonyms=("courriel", "mail", "e-mail", "mél", "adresse mail", "adresse e-mail"),
    ),
    Field(
        "phone",
        Kind.TEXT,
        "Téléphone, entre guillemets.",
        example='"04 72 00 00 00"',
        synonyms=("téléphone", "tél", "tel", "portable", "numéro de téléphone"),
    ),
    Field(
        "city",
        Kind.TEXT,
        "Ville du siège.",
        example="Lyon",
        synonyms=("ville", "commune", "localité", "siège"),
    ),
    Field(
        "services",
        Kind.OBJECT_LIST,
        "Description des services : title (obligatoire), tagline, description.",
        fields=SERVICE_FIELDS,
        synonyms=("prestations", "offre", "offres", "activités"),
    ),
    Field(
        "about",
        Kind.MARKDOWN,
        "« Qui sommes-nous ? » (Markdown). Dans un fichier .md, c'est le texte après l'en-tête.",
        synonyms=("qui sommes-nous", "à propos", "présentation", "histoire"),
    ),
    Field(
        "clients",
        Kind.TEXT_LIST,
        "Accompagnements réalisés : structures accompagnées.",
        synonyms=("client", "accompagnements", "commanditaires"),
    ),
    Field(
        "contexts",
        Kind.TERM_LIST,
        "Contextes d'intervention, parmi le vocabulaire content/vocabularies.yaml.",
        vocabulary="contexts",
        synonyms=("contextes", "contexte", "thèmes", "thématiques", "domaines"),
    ),
    Field(
        "territories",
        Kind.TERM_LIST,
        "Territoires d'intervention, parmi le vocabulaire content/vocabularies.yaml.",
        vocabulary="territories",
        synonyms=("territoires", "territoire", "régions", "région", "zones"),
    ),
    Field(
        "experiences",
        Kind.OBJECT_LIST,
        "Expériences : client (obligatoire), title, description.",
        fields=EXPERIENCE_FIELDS,
        synonyms=("références", "expériences", "missions", "réalisations", "projets"),
    ),
    Field(
        "commons",
        Kind.BOOLEAN,
        "Contribue aux communs : true (oui) ou false (non).",
        example="false",
        synonyms=("communs", "commun"),
    ),
    Field(
        "updated",
        Kind.DATE,
        "Date de dernière mise à jour de la fiche (AAAA-MM-JJ).",
        example="2026-11-01",
        synonyms=("mise à jour", "date", "maj", "date de mise à jour", "modifié le"),
    ),
)

ACTOR_FIELDS += (
    Field(
        "logo",
        Kind.IMAGE,
        "Logo : chemin d'une image PNG, JPEG ou WebP sous content/ (500 Ko au plus ; "
        "pas de SVG, qui peut contenir des scripts).",
        example="logos/passages.png",
        synonyms=("image", "logotype"),
    ),
    Field(
        "aliases",
        Kind.SLUG_LIST,
        "Anciennes adresses de la fiche (slugs), qui redirigent vers la nouvelle après un "
        "changement de nom.",
        synonyms=("alias", "anciennes adresses", "ancienne adresse", "redirections"),
    ),
)

# What a form calls each key (the web editor's config.yml, cms.py); sub-keys by "parent.key".
FIELD_LABELS = {
    "id": "Numéro",
    "name": "Nom",
    "slug": "Adresse (slug)",
    "legal_form": "Forme juridique",
    "summary": "Résumé",
    "website": "Site web",
    "email": "E-mail",
    "phone": "Téléphone",
    "city": "Ville",
    "services": "Services",
    "services.title": "Intitulé",
    "services.tagline": "Accroche",
    "services.description": "Description",
    "about": "Qui sommes-nous ?",
    "clients": "Accompagnements réalisés",
    "contexts": "Contextes d'intervention",
    "territories": "Territoires d'intervention",
    "experiences": "Expériences",
    "experiences.client": "Structure accompagnée",
    "experiences.title": "Intitulé de la mission",
    "experiences.description": "Description",
    "commons": "Contribue aux communs",
    "updated": "Mise à jour",
    "logo": "Logo",
    "aliases": "Anciennes adresses",
}

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
