"""Open data and machine-readable views of actors: JSON, CSV, JSON-LD (schema.org)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from markupsafe import Markup

from site_gen.content.markdown import MarkdownRenderer
from site_gen.content.model import Actor, Experience, Service

CSV_COLUMNS = (
    "id",
    "name",
    "slug",
    "url",
    "legal_form",
    "summary",
    "website",
    "email",
    "phone",
    "city",
    "territories",
    "contexts",
    "clients",
    "services",
    "experiences",
    "commons",
    "updated",
    "about",
)
LIST_SEPARATOR = " ; "


def actor_record(actor: Actor, url: str, logo_url: str, markdown: MarkdownRenderer) -> dict:
    """Every field of an actor; Markdown both as source and as the sanitized HTML we publish."""
    return {
        "id": actor.id,
        "name": actor.name,
        "slug": actor.slug,
        "url": url,
        "legal_form": actor.legal_form,
        "summary": actor.summary,
        "website": actor.website,
        "email": actor.email,
        "phone": actor.phone,
        "city": actor.city,
        "logo": logo_url,
        "services": [entry(s, markdown) for s in actor.services],
        "about": actor.about,
        "about_html": str(markdown.render(actor.about, 3)),
        "clients": list(actor.clients),
        "contexts": [t.label for t in actor.contexts],
        "territories": [t.label for t in actor.territories],
        "experiences": [entry(e, markdown) for e in actor.experiences],
        "commons": actor.commons,
        "updated": actor.updated.isoformat() if actor.updated else None,
        "aliases": list(actor.aliases),
    }


def entry(item: Service | Experience, markdown: MarkdownRenderer) -> dict:
    """A service or an experience: its fields, and its description as HTML too."""
    record = asdict(item)
    record["description_html"] = str(markdown.render(item.description, 4))
    return record


def to_json(data: Any) -> bytes:
    # Compact: without `indent` the json module uses its C encoder (about 10x faster).
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def to_csv(records: list[dict]) -> bytes:
    """One row per actor, lists joined with " ; "; UTF-8 with a BOM so Excel reads accents."""
    return csv_file(csv_row(record) for record in records)


def csv_file(rows: Iterable[str]) -> bytes:
    """The CSV export from rows made by csv_row, after its header."""
    return b"".join(csv_chunks(rows))


def csv_header() -> bytes:
    """The first piece of csv_chunks: the byte order mark and the columns' names."""
    return ("\ufeff" + _csv_line(CSV_COLUMNS)).encode("utf-8")


def csv_chunks(rows: Iterable[str]) -> Iterator[bytes]:
    """csv_file, piece by piece: never all in memory."""
    yield csv_header()
    for position, row in enumerate(rows):
        yield csv_row_chunk(position, row)


def csv_row_chunk(position: int, row: str) -> bytes:
    """The piece of csv_chunks that holds the row of the actor at `position`."""
    return row.encode("utf-8")


def csv_row_moves(before: int, after: int) -> bool:
    """Whether an actor's csv_row_chunk keeps its bytes from one position to the other."""
    return True


def csv_row(record: dict) -> str:
    """An actor's record as one CSV row (RFC 4180: quoted when needed, CRLF at the end)."""
    row = []
    for column in CSV_COLUMNS:
        value = record[column]
        if column == "services":
            value = [s["title"] for s in value]
        elif column == "experiences":
            value = [e["client"] + (f" — {e['title']}" if e["title"] else "") for e in value]
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(value)
        elif isinstance(value, bool):
            value = "oui" if value else "non"
        row.append("" if value is None else _not_a_formula(value))
    return _csv_line(row)


# A cell a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @, or after a tab or
# a carriage return): written after an apostrophe, as OWASP recommends ("CSV injection").
# The data page says so; the JSON keeps the exact text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _not_a_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def json_array(items: Iterable[bytes]) -> bytes:
    """The JSON list of values given as to_json made them: what to_json(list) gives."""
    return b"".join(json_array_chunks(items))


def json_array_chunks(items: Iterable[bytes]) -> Iterator[bytes]:
    """json_array, piece by piece: never all in memory."""
    empty = True
    for position, item in enumerate(items):
        yield json_array_item(position, item)
        empty = False
    yield b"[]\n" if empty else b"]\n"


def json_array_item(position: int, item: bytes) -> bytes:
    """The piece of json_array_chunks that holds the record of the actor at `position`."""
    return (b"," if position else b"[") + item.rstrip(b"\n")


def json_array_item_moves(before: int, after: int) -> bool:
    """Whether an actor's json_array_item keeps its bytes from one position to the other."""
    return (before == 0) == (after == 0)


def json_ld(actor: Actor, url: str, logo_url: str) -> Markup:
    """schema.org Organization, safe to embed in a <script type="application/ld+json">."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": actor.name,
        "url": actor.website or url,
        "mainEntityOfPage": url,
        "identifier": str(actor.id),
    }
    if actor.summary:
        data["description"] = actor.summary
    if actor.territories:
        data["areaServed"] = [t.label for t in actor.territories]
    if actor.contexts:
        data["knowsAbout"] = [t.label for t in actor.contexts]
    if actor.email:
        data["email"] = actor.email
    if actor.phone:
        data["telephone"] = actor.phone
    if actor.city:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": actor.city,
            "addressCountry": "FR",
        }
    if actor.legal_form:
        data["legalName"] = f"{actor.name} ({actor.legal_form})"
    if logo_url:
        data["logo"] = logo_url
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    # "</" would end the script element early; "<!--" could open a comment state.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
