"""`fmt`: an actor file in its canonical form, with the same values; what the web editor's
YAML library writes (texts folded over several lines, keys in its own order) reads like an
editor's file again. The browser test runs it on a file the real editor wrote."""

from __future__ import annotations

import yaml

from site_gen.content.schema import ACTOR_FIELDS

from .conftest import ROOT, SAMPLE_CONTENT, run_cli

# What Decap CMS wrote for a folded text and a key it added at the end (as seen in the browser)
AS_DECAP_WRITES = """\
name: Atelier
summary: "Un atelier : avec deux-points."
id: 7
phone: 04 72 00 00 00
legal_form: ""
services:
  - description: Un texte assez long que la bibliothèque YAML de l'éditeur plie sur
      plusieurs lignes, comme elle le fait au-delà de quatre-vingts caractères.
    title: Animation
territories:
  - Occitanie
"""

CANONICAL = """\
id: 7
name: Atelier
summary: 'Un atelier : avec deux-points.'
phone: "04 72 00 00 00"
services:
  - title: Animation
    description: |-
      Un texte assez long que la bibliothèque YAML de l'éditeur plie sur plusieurs lignes, comme elle le fait au-delà de quatre-vingts caractères.
territories:
  - Occitanie
"""  # noqa: E501


def test_a_file_as_decap_writes_it_becomes_canonical_with_the_same_values(make_site):
    content = make_site({"atelier.yaml": AS_DECAP_WRITES})
    path = content / "actors/atelier.yaml"
    result = run_cli("fmt", path, cwd=ROOT)  # from the repository, beside content/
    assert result.status == 0, result.stderr
    assert path.read_text(encoding="utf-8") == CANONICAL
    before = yaml.safe_load(AS_DECAP_WRITES)
    del before["legal_form"]  # `legal_form: ""` is a value `check` refuses: fmt drops it
    assert yaml.safe_load(CANONICAL) == before
    assert run_cli("check", "--content", content).status == 0
    assert run_cli("fmt", "--check", path, cwd=ROOT).status == 0, "canonical already: nothing to do"


def test_check_mode_changes_nothing_and_fails_if_a_file_would_change(make_site):
    content = make_site({"atelier.yaml": AS_DECAP_WRITES})
    result = run_cli("fmt", "--check", "--content", content)
    assert result.status == 1
    assert "à réécrire" in result.stdout and "atelier.yaml" in result.stdout
    assert (content / "actors/atelier.yaml").read_text(encoding="utf-8") == AS_DECAP_WRITES


def test_a_file_with_comments_is_left_as_it_is(make_site):
    text = "# Une fiche commentée\nname: Atelier\nid: 7\n"
    content = make_site({"atelier.yaml": text})
    result = run_cli("fmt", "--content", content)
    assert result.status == 0
    assert "has comments: left as it is" in result.stderr
    assert (content / "actors/atelier.yaml").read_text(encoding="utf-8") == text


def test_the_markdown_form_keeps_its_text(make_site):
    text = "---\nname: Atelier\nid: 7\n---\nQui *sommes*-nous ?\n\nUn second paragraphe.\n"
    content = make_site({"atelier.md": text})
    assert run_cli("fmt", "--content", content).status == 0
    written = (content / "actors/atelier.md").read_text(encoding="utf-8")
    assert (
        written == "---\nid: 7\nname: Atelier\n---\nQui *sommes*-nous ?\n\nUn second paragraphe.\n"
    )


def test_the_sample_files_differ_from_canonical_only_by_where_logo_and_aliases_stand():
    order = [f.name for f in ACTOR_FIELDS]
    for path in sorted((SAMPLE_CONTENT / "actors").glob("*.yaml")):
        result = run_cli("fmt", "--check", path, cwd=ROOT)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        in_order = list(data) == [k for k in order if k in data]
        assert (result.status == 0) == in_order, (path, result.stdout)
