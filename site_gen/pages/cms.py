"""The web editor (Decap CMS) at /admin/: its config.yml generated from the schema, its page,
its vendored bundle and its own Content-Security-Policy. Published only with a `cms:` block
in site.yaml (config.CmsSettings)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from site_gen.content.config import CmsSettings, Settings
from site_gen.content.model import Catalogue
from site_gen.content.schema import (
    ACTOR_FIELDS,
    EMAIL_PATTERN,
    FIELD_LABELS,
    SLUG_PATTERN,
    Field,
    Kind,
)
from site_gen.pages import routes
from site_gen.pages.views import Page

VENDOR_DIR = Path("vendor") / "decap_cms"  # inside the templates folder: see its README
BUNDLE = "decap-cms.js"
# Decap's own files that are not needed to run it: source maps, its README and npm manifest.
_NOT_SHIPPED = (".map", "package.json", "README.md")
LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # decap-server, started by `make cms`
COLLECTION_YAML = "acteurs"
COLLECTION_MARKDOWN = "acteurs-md"
_API_ORIGINS = {
    "github": ("https://api.github.com",),
    "gitlab": ("https://gitlab.com",),
    "bitbucket": ("https://api.bitbucket.org", "https://bitbucket.org"),
    "gitea": (),
}


def admin_policy(cms: CmsSettings) -> str:
    """The CSP of /admin/ only: Decap checks its config.yml with AJV, which compiles its
    checks with `new Function` ('unsafe-eval'), styles itself with inline <style> elements
    (emotion), shows images from blob: and data: URLs, compiles WebP encoders (WebAssembly)
    and talks to its git host's API, to the OAuth relay and, in local mode, to
    decap-server. No other page of the site allows any of that."""
    hosts = list(_API_ORIGINS[cms.backend])
    for url in (cms.api_root, cms.base_url):
        if url:
            parts = urlsplit(url)
            hosts.append(f"{parts.scheme}://{parts.netloc}")
    local = urlsplit(LOCAL_BACKEND).netloc.split(":")[1]
    connect = " ".join(["'self'", *dict.fromkeys(hosts)])
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect} http://127.0.0.1:{local} http://localhost:{local}",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def admin_headers(cms: CmsSettings | None, base_path: str) -> bytes:
    """The `_headers` rule of /admin/: its own policy in place of the site's (`!` detaches
    the site-wide header, as Cloudflare Pages reads it), and never indexed."""
    if cms is None:
        return b""
    lines = [
        "",
        f"{base_path}{routes.ADMIN}*",
        "  ! Content-Security-Policy",
        f"  Content-Security-Policy: {admin_policy(cms)}; frame-ancestors 'none'",
        "  X-Robots-Tag: noindex, nofollow",
        "  Cache-Control: no-cache",
        "",
    ]
    return "\n".join(lines).encode("ascii")


def bundle_files(templates_dir: Path) -> dict[str, bytes]:
    """The vendored Decap files by their name (the bundle, the chunks it loads, its licence)."""
    folder = templates_dir / VENDOR_DIR
    files = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.is_file() and not path.name.endswith(_NOT_SHIPPED):
            files[path.name.lower()] = path.read_bytes()
    if BUNDLE not in files:
        raise FileNotFoundError(
            f"{folder / BUNDLE} is missing: run `make vendor-decap` (npm) to fetch Decap CMS"
        )
    return files


def bundle_folder(files: dict[str, bytes]) -> str:
    """The route of the folder the bundle is copied to, named by the hash of its files: the
    bundle loads its chunks from beside itself, so the whole set moves together."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return f"{routes.ADMIN}decap-{digest.hexdigest()[:10]}/"


def next_id(catalogue: Catalogue) -> int:
    return max((a.id for a in catalogue.actors), default=0) + 1


def _js_pattern(pattern: str) -> str:
    """A schema pattern as JavaScript's RegExp reads it ( `\\"` is no escape there)."""
    return pattern.replace('\\"', '"')


def _widget(f: Field, path: str, vocabularies: dict[str, list[str]]) -> dict:
    """One key of an actor file as a Decap field: its widget, its limits, its help text."""
    widget: dict = {
        "label": FIELD_LABELS.get(path, f.name),
        "name": f.name,
        "widget": "string",
        "hint": f.doc,
    }
    if not f.required:
        widget["required"] = False
    match f.kind:
        case Kind.POSITIVE_INTEGER:
            widget |= {"widget": "number", "value_type": "int", "min": 1}
        case Kind.PLAIN_TEXT:
            limit = f.max_length
            widget["widget"] = "text"
            widget["pattern"] = [
                rf"^[^\n]{{1,{limit}}}$",
                f"Une seule ligne de {limit} caractères au plus.",
            ]
        case Kind.SLUG:
            widget["pattern"] = [SLUG_PATTERN, "Lettres minuscules a-z, chiffres et tirets."]
        case Kind.URL:
            widget["pattern"] = ["^https?://", "Une adresse complète en http:// ou https://."]
        case Kind.EMAIL:
            widget["pattern"] = [_js_pattern(EMAIL_PATTERN), "Une adresse e-mail complète."]
        case Kind.MARKDOWN:
            widget |= {"widget": "markdown", "buttons": _MARKDOWN_BUTTONS}
            widget |= {"editor_components": [], "modes": ["rich_text", "raw"]}
        case Kind.BOOLEAN:
            widget["widget"] = "boolean"
            widget["hint"] = f"{f.doc} Activé : oui ; désactivé : non."
        case Kind.DATE:
            widget |= {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "DD/MM/YYYY",
                "time_format": False,
                "picker_utc": True,
            }
        case Kind.TEXT_LIST | Kind.SLUG_LIST:
            item = {"label": widget["label"], "name": "item", "widget": "string"}
            if f.kind is Kind.SLUG_LIST:
                item["pattern"] = [SLUG_PATTERN, "Lettres minuscules a-z, chiffres et tirets."]
            widget |= {"widget": "list", "field": item}
        case Kind.TERM_LIST:
            options = vocabularies.get(f.vocabulary or "", [])
            widget |= {"widget": "select", "multiple": True, "options": options}
        case Kind.OBJECT_LIST:
            sub = [_widget(s, f"{f.name}.{s.name}", vocabularies) for s in f.fields]
            summary = "{{fields." + sub[0]["name"] + "}}"
            widget |= {"widget": "list", "fields": sub, "summary": summary}
        case Kind.IMAGE:
            widget |= {"widget": "image", "public_folder": "logos", "choose_url": False}
    return widget


_MARKDOWN_BUTTONS = [
    "bold",
    "italic",
    "link",
    "heading-three",
    "heading-four",
    "quote",
    "bulleted-list",
    "numbered-list",
]


def actor_fields(
    vocabularies: dict[str, list[str]], first_free_id: int, content: str, body: bool
) -> list:
    """Every key of the schema, in its order, as Decap fields; `content`: the content
    folder in the repository; `body`: the .md form, whose `about` is the text after the
    header (Decap calls it `body`)."""
    found = []
    for f in ACTOR_FIELDS:
        widget = _widget(f, f.name, vocabularies)
        if f.kind is Kind.IMAGE:  # uploads go beside the other logos, named from content/
            widget["media_folder"] = f"/{content}/logos"
        if f.name == "id":
            widget["default"] = first_free_id
            widget["hint"] += f" Le premier numéro libre est {first_free_id}."
        if f.name == "about" and body:
            widget["name"] = "body"
        found.append(widget)
    return found


def decap_config(settings: Settings, catalogue: Catalogue) -> dict:
    """config.yml of the web editor, from the schema, the vocabularies and the settings."""
    cms = settings.cms
    assert cms is not None
    content = cms.content_path
    backend = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    backend |= {
        key: getattr(cms, key) for key in ("base_url", "api_root", "app_id") if getattr(cms, key)
    }
    if cms.backend == "gitlab" and cms.app_id:
        backend["auth_type"] = "pkce"
    backend["commit_messages"] = {
        "create": "Nouvelle fiche : {{slug}} (éditeur web)",
        "update": "Fiche modifiée : {{slug}} (éditeur web)",
        "delete": "Fiche supprimée : {{slug}} (éditeur web)",
        "uploadMedia": "Logo ajouté : {{path}} (éditeur web)",
        "deleteMedia": "Logo supprimé : {{path}} (éditeur web)",
    }
    vocabularies = catalogue.vocabularies.labels()
    first_free = next_id(catalogue)

    def actors(name: str, label: str, extension: str, fmt: str, body: bool) -> dict:
        fields = actor_fields(vocabularies, first_free, content, body)
        return {
            "name": name,
            "label": label,
            "label_singular": "Fiche",
            "folder": f"{content}/actors",
            "extension": extension,
            "format": fmt,
            "create": True,
            "delete": False,
            "slug": "{{name}}",
            "identifier_field": "name",
            "summary": "{{name}} (n° {{id}})",
            "sortable_fields": ["name", "id", "updated"],
            "editor": {"preview": False},  # the preview is the site itself (make cms)
            "fields": fields,
        }

    term = [
        {
            "label": "Libellé",
            "name": "label",
            "widget": "string",
            "hint": "Tel que les fiches l'écrivent.",
        },
        {
            "label": "Adresse (slug)",
            "name": "slug",
            "widget": "string",
            "pattern": [SLUG_PATTERN, "Lettres minuscules a-z, chiffres et tirets."],
            "hint": "Adresse de la page du terme : à ne changer qu'avec prudence.",
        },
    ]
    vocabulary_file = {
        "name": "vocabulaires",
        "label": "Vocabulaires",
        "file": f"{content}/vocabularies.yaml",
        "fields": [
            {
                "label": label,
                "name": name,
                "widget": "list",
                "fields": term,
                "summary": "{{fields.label}}",
            }
            for name, label in (
                ("territories", "Territoires"),
                ("contexts", "Contextes d'intervention"),
                ("client_types", "Types de clients"),
            )
        ],
    }
    types = [t.label for t in catalogue.vocabularies.client_types]
    territories = [t.label for t in catalogue.vocabularies.territories]
    clients_file = {
        "name": "clients",
        "label": "Clients : variantes de noms",
        "file": f"{content}/clients.yaml",
        "fields": [
            {
                "label": "Clients",
                "name": "clients",
                "widget": "list",
                "summary": "{{fields.name}}",
                "hint": "Les orthographes d'un même client, réunies sur une seule page client.",
                "fields": [
                    {
                        "label": "Nom retenu",
                        "name": "name",
                        "widget": "string",
                        "hint": "Le nom affiché sur la page du client.",
                    },
                    {
                        "label": "Type",
                        "name": "type",
                        "widget": "select",
                        "options": types,
                        "required": False,
                        "hint": "Ce qu'est ce client (commune, métropole, région…).",
                    },
                    {
                        "label": "Territoire",
                        "name": "territory",
                        "widget": "select",
                        "options": territories,
                        "required": False,
                        "hint": "Où il se trouve.",
                    },
                    {
                        "label": "Variantes",
                        "name": "aliases",
                        "widget": "list",
                        "field": {"label": "Variante", "name": "alias", "widget": "string"},
                        "hint": "Les autres orthographes que les fiches emploient.",
                    },
                ],
            }
        ],
    }
    return {
        "backend": backend,
        "local_backend": {"url": LOCAL_BACKEND, "allowed_hosts": ["127.0.0.1", "localhost"]},
        "locale": "fr",
        "site_url": settings.base_url,
        "display_url": settings.base_url,
        "publish_mode": "simple",
        "media_folder": f"{content}/logos",
        "public_folder": "logos",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            actors(COLLECTION_YAML, "Fiches (.yaml)", "yaml", "yaml", body=False),
            actors(COLLECTION_MARKDOWN, "Fiches (.md)", "md", "yaml-frontmatter", body=True),
            {
                "name": "listes",
                "label": "Vocabulaires et clients",
                "delete": False,
                "editor": {"preview": False},
                "files": [vocabulary_file, clients_file],
            },
        ],
    }


def config_text(settings: Settings, catalogue: Catalogue) -> bytes:
    text = "# Generated by site_gen from site_gen/schema.py: do not edit.\n"
    text += yaml.safe_dump(
        decap_config(settings, catalogue), allow_unicode=True, sort_keys=False, width=100
    )
    return text.encode("utf-8")


def admin_pages(settings: Settings, catalogue: Catalogue, templates_dir: Path) -> list[Page]:
    """/admin/ (its page, its config.yml, the bundle's folder), or nothing without `cms:`."""
    if settings.cms is None:
        return []
    files = bundle_files(templates_dir)
    folder = bundle_folder(files)
    context = {
        "bundle_url": routes.url(settings.base_path, folder + BUNDLE),
        "config_url": routes.url(settings.base_path, routes.ADMIN_CONFIG),
        "policy": admin_policy(settings.cms),
    }
    pages = [
        Page(
            routes.ADMIN, "admin.html", "Éditeur de l'annuaire", context=context, in_sitemap=False
        ),
        Page(
            routes.ADMIN_CONFIG, None, "", data=config_text(settings, catalogue), in_sitemap=False
        ),
    ]
    pages += [
        Page(folder + name, None, "", data=data, in_sitemap=False) for name, data in files.items()
    ]
    return pages


def edit_url(settings: Settings, source: str) -> str:
    """Where a reader proposes a fix to the actor of file `source`: its entry in the web
    editor, or else the file in the repository's web interface; "" when neither is set."""
    name = Path(source).name
    if settings.cms is not None:
        stem, _, suffix = name.rpartition(".")
        collection = COLLECTION_MARKDOWN if suffix == "md" else COLLECTION_YAML
        admin = routes.url(settings.base_path, routes.ADMIN)
        return f"{admin}#/collections/{collection}/entries/{stem}"
    if settings.repository_url:
        return f"{settings.repository_url}actors/{name}"
    return ""
