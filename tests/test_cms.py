"""The web editor at /admin/: published only with a `cms:` block, its config.yml made from the
schema, its own security policy, and the "Modifier cette fiche" link on profiles. The editor
itself, in a browser against decap-server, is tested in test_browser_cms.py."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from site_gen.content.schema import ACTOR_FIELDS, SUMMARY_MAX_LENGTH
from site_gen.pages.security import CONTENT_SECURITY_POLICY

from .conftest import VALID_ACTOR, run_cli

CMS = "cms:\n  repo: org/annuaire\n"
SECOND = VALID_ACTOR.replace("id: 1", "id: 41").replace("Exemple", "Second exemple")


def build(content: Path, out: Path) -> Path:
    result = run_cli("--content", content, "--output", out)
    assert result.status == 0, result.stderr
    return out


def config_of(site: Path) -> dict:
    return yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))


def fields_of(config: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}


def test_without_a_cms_block_no_admin_is_published(make_site, tmp_path):
    site = build(make_site({"a.yaml": VALID_ACTOR}), tmp_path / "out")
    assert not (site / "admin").exists()
    assert "/admin/" not in (site / "_headers").read_text()
    assert "Modifier cette fiche" not in (site / "acteurs/exemple/index.html").read_text()


def test_the_admin_page_loads_the_vendored_bundle_from_a_hashed_folder(make_site, tmp_path):
    site = build(make_site({"a.yaml": VALID_ACTOR}, site_yaml=CMS), tmp_path / "out")
    page = (site / "admin/index.html").read_text()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert len(scripts) == 1 and re.fullmatch(
        r"/admin/decap-[0-9a-f]{10}/decap-cms\.js", scripts[0]
    )
    bundle = site / scripts[0].lstrip("/")
    assert bundle.stat().st_size > 1_000_000, "the whole Decap bundle, not a stub"
    assert (bundle.parent / "license").read_text().startswith("Copyright (c) 2016 Netlify")
    assert "https://" not in " ".join(scripts), "no CDN"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'href="/admin/config.yml" type="text/yaml" rel="cms-config-url"' in page
    assert "/admin/" not in (site / "sitemap.xml").read_text()
    assert "admin" not in " ".join(p.name for p in (site / "recherche/index").rglob("*"))


def test_admin_gets_its_own_policy_and_every_other_page_keeps_the_strict_one(make_site, tmp_path):
    site = build(make_site({"a.yaml": VALID_ACTOR}, site_yaml=CMS), tmp_path / "out")
    rules = (site / "_headers").read_text().split("\n\n")
    site_wide = next(r for r in rules if r.startswith("/*"))
    admin = next(r for r in rules if r.startswith("/admin/*"))
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}" in site_wide
    assert "  ! Content-Security-Policy" in admin.splitlines()  # the site-wide one detached
    policy = next(line for line in admin.splitlines() if line.startswith("  Content-Security"))
    assert "connect-src 'self' https://api.github.com http://127.0.0.1:8081" in policy
    assert "unsafe-eval" in policy and "unsafe-eval" not in site_wide
    assert "X-Robots-Tag: noindex" in admin
    profile = (site / "acteurs/exemple/index.html").read_text()
    assert CONTENT_SECURITY_POLICY.replace("'", "&#39;") in profile


def test_config_has_every_key_of_the_schema_as_the_right_widget(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR, "b.yaml": SECOND}, site_yaml=CMS)
    config = config_of(build(content, tmp_path / "out"))
    assert config["locale"] == "fr"
    assert config["backend"] == {
        "name": "github",
        "repo": "org/annuaire",
        "branch": "main",
        "commit_messages": config["backend"]["commit_messages"],
    }
    fields = fields_of(config, "acteurs")
    assert list(fields) == [f.name for f in ACTOR_FIELDS], "every key, in the schema's order"
    assert fields["id"]["widget"] == "number" and fields["id"]["default"] == 42
    assert "required" not in fields["name"] and fields["email"]["required"] is False
    summary = fields["summary"]
    assert summary["widget"] == "text"
    assert re.fullmatch(summary["pattern"][0], "x" * SUMMARY_MAX_LENGTH)
    assert not re.fullmatch(summary["pattern"][0], "x" * (SUMMARY_MAX_LENGTH + 1))
    assert fields["about"]["widget"] == "markdown"
    assert fields["territories"]["widget"] == "select" and fields["territories"]["multiple"]
    vocabularies = yaml.safe_load((content / "vocabularies.yaml").read_text(encoding="utf-8"))
    labels = [t["label"] for t in vocabularies["territories"]]
    assert fields["territories"]["options"] == labels
    assert [f["name"] for f in fields["services"]["fields"]] == ["title", "tagline", "description"]
    assert fields["services"]["fields"][2]["widget"] == "markdown"
    assert (
        fields["clients"]["widget"] == "list" and fields["clients"]["field"]["widget"] == "string"
    )
    assert fields["commons"]["widget"] == "boolean"
    assert fields["updated"]["format"] == "YYYY-MM-DD" and fields["updated"]["time_format"] is False
    assert fields["logo"]["widget"] == "image"
    assert fields["logo"]["media_folder"] == "/content/logos"
    assert re.match(fields["website"]["pattern"][0], "https://exemple.fr")
    assert not re.match(fields["slug"]["pattern"][0], "Pas Un Slug")
    assert fields["city"]["hint"] == "Ville du siège."  # the schema's docs, word for word


def test_the_markdown_form_has_about_as_its_body(make_site, tmp_path):
    config = config_of(build(make_site({"a.yaml": VALID_ACTOR}, site_yaml=CMS), tmp_path / "o"))
    collections = {c["name"]: c for c in config["collections"]}
    assert collections["acteurs"]["extension"] == "yaml"
    markdown = collections["acteurs-md"]
    assert (markdown["extension"], markdown["format"]) == ("md", "yaml-frontmatter")
    assert markdown["folder"] == collections["acteurs"]["folder"] == "content/actors"
    names = [f["name"] for f in markdown["fields"]]
    assert "about" not in names and names[names.index("body")] == "body"
    files = collections["listes"]["files"]
    assert [f["file"] for f in files] == ["content/vocabularies.yaml", "content/clients.yaml"]


def test_edit_link_goes_to_the_editor_or_else_to_the_repository(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR}, site_yaml=CMS)
    profile = (build(content, tmp_path / "one") / "acteurs/exemple/index.html").read_text()
    assert (
        '<a href="/admin/#/collections/acteurs/entries/a" rel="nofollow">Modifier cette fiche</a>'
        in profile
    )
    repository = "repository_url: https://github.com/org/annuaire/edit/main/content/\n"
    content = make_site({"a.yaml": VALID_ACTOR}, site_yaml=repository)
    profile = (build(content, tmp_path / "two") / "acteurs/exemple/index.html").read_text()
    assert 'href="https://github.com/org/annuaire/edit/main/content/actors/a.yaml"' in profile


def test_a_mistake_in_the_cms_block_is_reported_with_its_line(make_site):
    site_yaml = "title: Annuaire\ncms:\n  repo: org/annuaire\n  brnach: main\n  backend: svn\n"
    result = run_cli("check", "--content", make_site({"a.yaml": VALID_ACTOR}, site_yaml=site_yaml))
    assert result.status == 1
    assert "site.yaml:4: unknown setting cms.brnach" in result.stderr
    assert "Did you mean 'branch'?" in result.stderr
    assert "site.yaml:5: cms.backend: 'svn' is not one the editor knows" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_cms_block_without_repo_is_refused(make_site):
    result = run_cli(
        "check", "--content", make_site({"a.yaml": VALID_ACTOR}, site_yaml="cms:\n  branch: main\n")
    )
    assert result.status == 1
    assert "cms.repo is missing" in result.stderr


def test_clients_written_as_the_editor_writes_them_merge_like_the_short_form(make_site, tmp_path):
    content = make_site({"a.yaml": VALID_ACTOR + "clients: [Grand Lyon, Ville de Lyon]\n"})
    (content / "clients.yaml").write_text(
        "clients:\n  - name: Métropole de Lyon\n    aliases:\n      - Grand Lyon\n",
        encoding="utf-8",
    )
    long_form = build(content, tmp_path / "long")
    (content / "clients.yaml").write_text("Métropole de Lyon: [Grand Lyon]\n", encoding="utf-8")
    short_form = build(content, tmp_path / "short")
    assert (long_form / "clients/metropole-de-lyon/index.html").exists()
    assert not (long_form / "clients/grand-lyon").exists()
    pages = sorted(p.relative_to(long_form) for p in long_form.rglob("*.html"))
    assert pages == sorted(p.relative_to(short_form) for p in short_form.rglob("*.html"))


def test_a_client_entry_without_a_name_is_reported(make_site):
    content = make_site({"a.yaml": VALID_ACTOR})
    (content / "clients.yaml").write_text("clients:\n  - aliases: [Grand Lyon]\n")
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert "clients.yaml:2: chaque client doit avoir un `name:`" in result.stderr


def test_gitea_needs_its_api_address_which_the_policy_then_allows(make_site, tmp_path):
    gitea = "cms:\n  backend: gitea\n  repo: org/annuaire\n"
    result = run_cli("check", "--content", make_site({"a.yaml": VALID_ACTOR}, site_yaml=gitea))
    assert result.status == 1 and "cms.api_root is missing" in result.stderr
    gitea += "  api_root: https://git.example.org/api/v1\n"
    site = build(make_site({"a.yaml": VALID_ACTOR}, site_yaml=gitea), tmp_path / "out")
    assert config_of(site)["backend"]["api_root"] == "https://git.example.org/api/v1"
    assert "connect-src 'self' https://git.example.org " in (site / "_headers").read_text()
