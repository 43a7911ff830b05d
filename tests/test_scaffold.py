"""`new`: the file an editor starts from lists every key of the schema and passes `check`."""

from __future__ import annotations

import re
import shutil

import pytest

from site_gen.content.scaffold import KIND_FR, SCHEMA_LINE, markdown_table_fr, new_actor
from site_gen.content.schema import ACTOR_FIELDS, Kind

from .conftest import ROOT, SAMPLE_CONTENT, run_cli

NAME = "L'Atelier des Communs"


@pytest.fixture
def content(tmp_path):
    return shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")


def sample_max_id() -> int:
    ids = re.findall(
        r"^id: (\d+)$",
        "\n".join(p.read_text(encoding="utf-8") for p in (SAMPLE_CONTENT / "actors").iterdir()),
        re.M,
    )
    return max(map(int, ids))


def test_new_creates_a_file_that_passes_check_at_once(content):
    result = run_cli("new", NAME, "--content", content)

    assert result.status == 0, result.stderr
    path = content / "actors" / "l-atelier-des-communs.yaml"
    assert f"Fiche créée : {path}" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert f"\nid: {sample_max_id() + 1}\n" in text
    assert f'\nname: "{NAME}"\n' in text
    check = run_cli("check", "--content", content)
    assert check.status == 0, check.stderr
    assert "l-atelier-des-communs.yaml:1: remarque : pas de résumé" in check.stderr


def test_the_new_file_lists_every_key_of_the_schema_with_its_french_doc(content):
    text = new_actor(content, NAME).text
    for field in ACTOR_FIELDS:
        assert re.search(rf"^(# )?{field.name}:", text, re.M), field.name
        assert field.doc.split()[0] in text  # the comment above it
    for sub in (f for parent in ACTOR_FIELDS for f in parent.fields):
        assert re.search(rf"^#  ( -|  ) {sub.name}:", text, re.M), sub.name
    assert "Occitanie, Pays de la Loire" in text  # the territories an editor may write


def test_the_schema_line_points_at_the_repository_schema():
    target = (ROOT / "content" / "actors" / SCHEMA_LINE.split("$schema=")[1]).resolve()
    assert target == ROOT / "schema" / "actor.schema.json" and target.is_file()


def test_filling_the_commented_keys_as_the_comments_say_passes_check(content):
    run_cli("new", NAME, "--content", content)
    path = content / "actors" / "l-atelier-des-communs.yaml"
    text = path.read_text(encoding="utf-8")
    filled = (
        text.replace("# summary:", "summary: Coopérative d'animation de démarches participatives.")
        .replace("# website:", "website: https://www.atelier-communs.fr")
        .replace("# territories:\n#   -", "territories:\n  - Occitanie")
        .replace(
            "# services:\n#   - title:\n#     tagline:",
            "services:\n  - title: Ateliers citoyens\n    tagline: Pour décider ensemble",
        )
        .replace("# commons:", "commons: true")
    )
    path.write_text(filled, encoding="utf-8")

    check = run_cli("check", "--content", content)

    assert check.status == 0, check.stderr
    assert "l-atelier-des-communs" not in check.stderr  # no warning left for this actor


def test_md_form_takes_the_text_after_the_front_matter(content, tmp_path):
    result = run_cli("new", NAME, "--md", "--content", content)
    assert result.status == 0, result.stderr
    path = content / "actors" / "l-atelier-des-communs.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("\n---\n\n")
    assert not re.search(r"^(# )?about:", text, re.M)  # the text below is `about`
    assert run_cli("check", "--content", content).status == 0
    path.write_text(text + "Nous animons des **ateliers**.\n", encoding="utf-8")
    built = run_cli("--content", content, "--output", tmp_path / "out")
    assert built.status == 0, built.stderr
    page = tmp_path / "out" / "acteurs" / "l-atelier-des-communs" / "index.html"
    assert "Nous animons des <strong>ateliers</strong>." in page.read_text(encoding="utf-8")


def test_new_refuses_to_overwrite(content):
    assert run_cli("new", NAME, "--content", content).status == 0
    path = content / "actors" / "l-atelier-des-communs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# mes notes\n", encoding="utf-8")
    before = path.read_bytes()

    again = run_cli("new", NAME, "--md", "--content", content)

    assert again.status == 2
    assert "l-atelier-des-communs.yaml existe déjà : elle n'est pas remplacée" in again.stderr
    assert path.read_bytes() == before
    assert not path.with_suffix(".md").exists()


def test_new_refuses_a_name_whose_address_is_taken(content):
    result = run_cli("new", "CiviLab SCIC", "--content", content)  # civilab.yaml's slug
    assert result.status == 2
    assert "civilab.yaml a déjà l'adresse /acteurs/civilab-scic/" in result.stderr
    assert not (content / "actors" / "civilab-scic.yaml").exists()


def test_first_actor_gets_id_1_and_a_name_without_letters_is_refused(make_site):
    content = make_site({})
    assert new_actor(content, "Premier").id == 1
    result = run_cli("new", "???", "--content", content)
    assert result.status == 2 and "aucun nom de fichier ne peut être tiré" in result.stderr


def test_every_kind_of_value_has_a_french_name():
    assert {kind.name for kind in Kind} <= set(KIND_FR)


def test_editors_guide_table_of_keys_is_the_generated_one():
    guide = (ROOT / "docs" / "guide-editeurs.md").read_text(encoding="utf-8")
    assert markdown_table_fr() in guide, (
        "docs/guide-editeurs.md's table of keys is out of date: paste scaffold.markdown_table_fr()"
    )


def test_the_guides_complete_example_passes_check_without_warnings(make_site):
    guide = (ROOT / "docs" / "guide-editeurs.md").read_text(encoding="utf-8")
    example = guide.split("Exemple de fiche complète")[1].split("```yaml\n")[1].split("```")[0]
    content = make_site({"mon-acteur.yaml": example})
    result = run_cli("check", "--content", content)
    assert result.status == 0, result.stderr
    assert "remarque" not in result.stderr
