"""Site settings (content/site.yaml plus command-line overrides); unknown keys are errors."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Problem
from .text import nearest


@dataclass(frozen=True)
class Settings:
    """Everything about the site that is not an actor. Each field is a key of site.yaml."""

    title: str = "Annuaire des acteurs de la participation"
    """Site name, shown in the header and in every page title."""
    description: str = ""
    """One sentence for the home page and its meta description."""
    base_url: str = "http://localhost:8000/"
    """Full public address of the site, ending with "/"; may include a sub-path (/annuaire/)."""
    language: str = "fr"
    """Language of the pages (only "fr" has UI strings for now)."""
    page_size: int = 50
    """How many actors a list page shows before it continues on a next page."""
    licence: str = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
    """Licence of the open data exports, shown on the data page."""
    licence_url: str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    """Link to the licence text."""
    feed_size: int = 20
    """How many recently updated actors the Atom feed lists."""
    publisher: str = ""
    """Who publishes the directory, and its address ("À propos", "Mentions légales")."""
    publication_director: str = ""
    """The director of publication, by name and role ("Mentions légales")."""
    host: str = ""
    """Who hosts the site: name, address and telephone ("Mentions légales")."""
    contact_email: str = ""
    """The address readers write to, to propose a profile or report an error."""
    accessibility_status: str = "non"
    """Compliance with RGAA 4.1: "non", "partiellement" or "totalement" (conforme)."""
    accessibility_date: str = ""
    """When the accessibility statement was made or last updated, e.g. 6 décembre 2026."""
    commons_yes: str = "Partage ses méthodes et ses outils en communs, sous licence libre."
    """What a profile says of an actor that contributes to the commons (`commons: true`)."""
    commons_no: str = "Ne partage pas (encore) ses méthodes et ses outils en communs."
    """What a profile says of an actor that does not (`commons: false`)."""

    @property
    def base_path(self) -> str:
        """The path part of base_url: "/" at a domain's root, "/annuaire/" under a sub-path."""
        return urlsplit(self.base_url).path or "/"


SETTING_NAMES = tuple(f.name for f in fields(Settings))
ACCESSIBILITY_STATUSES = ("non", "partiellement", "totalement")
SUPPORTED_LANGUAGES = ("fr",)


def normalize_base_url(url: str) -> str | None:
    """The URL with a trailing slash, or None if it is not an absolute http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def settings_from_data(
    data: object, source: str, lines: dict, problems: list[Problem], base_url: str | None = None
) -> Settings:
    """Settings from the parsed site.yaml, collecting problems; `base_url` overrides the file."""
    settings = Settings()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(source, 1, "expected keys such as `title:`"))
        data = {}
    values = {}
    for key, value in data.items():
        line = lines.get((key,))
        if key not in SETTING_NAMES:
            guess = nearest(str(key), list(SETTING_NAMES))
            hint = (
                f"Did you mean {guess!r}?" if guess else "Known keys: " + ", ".join(SETTING_NAMES)
            )
            problems.append(Problem(source, line, f"unknown setting {key!r}", hint))
        elif isinstance(getattr(settings, key), int):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
                problems.append(
                    Problem(source, line, f"{key}: expected a whole number between 1 and 10000")
                )
            else:
                values[key] = value
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(source, line, f"{key}: expected text"))
        else:
            values[key] = value.strip()
    if base_url is not None:
        values["base_url"] = base_url
    if "base_url" in values:
        normalized = normalize_base_url(values["base_url"])
        if normalized is None:
            problems.append(
                Problem(
                    source,
                    lines.get(("base_url",)),
                    f"base_url: {values['base_url']!r} is not a full web address",
                    "For example: https://example.org/annuaire/",
                )
            )
            values.pop("base_url")
        else:
            values["base_url"] = normalized
    if values.get("language", "fr") not in SUPPORTED_LANGUAGES:
        problems.append(
            Problem(
                source,
                lines.get(("language",)),
                f"language: only {', '.join(SUPPORTED_LANGUAGES)} is available",
            )
        )
        values.pop("language")
    status = values.get("accessibility_status", "non")
    if status not in ACCESSIBILITY_STATUSES:
        problems.append(
            Problem(
                source,
                lines.get(("accessibility_status",)),
                f"accessibility_status: {status!r} is not one of "
                + ", ".join(ACCESSIBILITY_STATUSES),
                "Write non, partiellement or totalement (conforme au RGAA 4.1).",
            )
        )
        values.pop("accessibility_status")
    return replace(settings, **values)


def default_settings_file(content_dir: Path) -> Path:
    return content_dir / "site.yaml"
