"""Site settings (content/site.yaml plus command-line overrides); unknown keys are errors."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_gen.errors import Problem
from site_gen.i18n import _
from site_gen.text import nearest

CMS_BACKENDS = ("github", "gitlab", "gitea", "bitbucket")


@dataclass(frozen=True)
class CmsSettings:
    """The `cms:` block of site.yaml: where the web editor (Decap CMS, /admin/) commits."""

    repo: str
    """The repository the editor writes to, "owner/name" (required)."""
    backend: str = "github"
    """Its host: github, gitlab, gitea or bitbucket."""
    branch: str = "main"
    """The branch the editor commits to."""
    base_url: str = ""
    """Address of the OAuth relay that logs editors in (GitHub, Gitea); none for GitLab's PKCE."""
    api_root: str = ""
    """API address of a self-hosted GitLab or Gitea (e.g. https://git.example.org/api/v1)."""
    app_id: str = ""
    """GitLab: the application id of the OAuth application (PKCE login, no relay needed)."""
    content_path: str = "content"
    """The content folder's path inside the repository."""


CMS_KEYS = tuple(f.name for f in fields(CmsSettings))


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
    repository_url: str = ""
    """Web address of the content folder in the repository's web interface, ending with "/"
    (e.g. https://github.com/org/annuaire/edit/main/content/): each profile's "Modifier cette
    fiche" link adds its file's path to it, when no `cms:` block is set."""
    cms: CmsSettings | None = None
    """The web editor's settings (see CmsSettings); without them, no /admin/ is published."""
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
        problems.append(
            Problem(
                source,
                1,
                _("expected keys such as `title:`"),
                _("Each line of site.yaml starts with a key, e.g. `title: …`"),
                code="not-keys",
            )
        )
        data = {}
    values = {}
    for key, value in data.items():
        line = lines.get((key,))
        if key not in SETTING_NAMES:
            guess = nearest(str(key), list(SETTING_NAMES))
            if guess:
                hint = _("Did you mean '{key}'?").format(key=guess)
            else:
                hint = _("Known keys: {keys}").format(keys=", ".join(SETTING_NAMES))
            message = _("unknown setting '{key}'").format(key=key)
            problems.append(Problem(source, line, message, hint, code="unknown-key"))
        elif key == "cms":
            values[key] = cms_from_data(value, source, lines, problems)
        elif key == "repository_url":
            url = value.strip() if isinstance(value, str) else ""
            if normalize_base_url(url) is None:
                problems.append(
                    Problem(
                        source,
                        line,
                        f"repository_url: {value!r} is not a full web address",
                        "For example: https://github.com/org/annuaire/edit/main/content/",
                    )
                )
            else:
                values[key] = normalize_base_url(url)
        elif isinstance(getattr(settings, key), int):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
                problems.append(
                    Problem(
                        source,
                        line,
                        _("{key}: expected a whole number between 1 and 10000").format(key=key),
                        _("For example: {key}: {example}").format(
                            key=key, example=getattr(settings, key)
                        ),
                        code="not-a-number",
                    )
                )
            else:
                values[key] = value
        elif not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(
                    source,
                    line,
                    _("{key}: expected text").format(key=key),
                    _("Write the value after the key, in quotes if need be."),
                    code="not-a-text",
                )
            )
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
                    _("base_url: '{url}' is not a full web address").format(url=values["base_url"]),
                    _("For example: https://example.org/annuaire/"),
                    code="not-a-url",
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
                _("language: only {languages} is available").format(
                    languages=", ".join(SUPPORTED_LANGUAGES)
                ),
                _("Write instead: {line}").format(line="language: fr"),
                code="unknown-language",
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


def cms_from_data(
    data: Any, source: str, lines: dict, problems: list[Problem]
) -> CmsSettings | None:
    """The `cms:` block, collecting problems (None if it has any)."""
    line = lines.get(("cms",))
    if not isinstance(data, dict):
        problems.append(
            Problem(
                source,
                line,
                "cms: expected keys such as `repo:`",
                "For example: repo: org/annuaire",
            )
        )
        return None
    before = len(problems)
    values = {}
    for key, value in data.items():
        where = lines.get(("cms", key), line)
        if key not in CMS_KEYS:
            guess = nearest(str(key), list(CMS_KEYS))
            hint = f"Did you mean {guess!r}?" if guess else "Known keys: " + ", ".join(CMS_KEYS)
            problems.append(Problem(source, where, f"unknown setting cms.{key}", hint))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(source, where, f"cms.{key}: expected text"))
        else:
            values[key] = value.strip()
    if "repo" not in values and len(problems) == before:
        problems.append(
            Problem(source, line, "cms.repo is missing", "For example: repo: org/annuaire")
        )
    if values.get("backend", "github") not in CMS_BACKENDS:
        problems.append(
            Problem(
                source,
                lines.get(("cms", "backend"), line),
                f"cms.backend: {values['backend']!r} is not one the editor knows",
                "Choose one of: " + ", ".join(CMS_BACKENDS),
            )
        )
    if values.get("backend") == "gitea" and "api_root" not in values:
        problems.append(
            Problem(
                source,
                line,
                "cms.api_root is missing: Gitea and Forgejo have no public address to guess",
                "For example: api_root: https://git.example.org/api/v1",
            )
        )
    for key in ("base_url", "api_root"):
        if key in values and normalize_base_url(values[key]) is None:
            problems.append(
                Problem(
                    source,
                    lines.get(("cms", key), line),
                    f"cms.{key}: {values[key]!r} is not a full web address",
                    "For example: https://auth.example.org/",
                )
            )
    if "content_path" in values:
        values["content_path"] = values["content_path"].strip("/")
    if len(problems) > before:
        return None
    return CmsSettings(**values)


def default_settings_file(content_dir: Path) -> Path:
    return content_dir / "site.yaml"
