"""`check --format github|json` and warnings: every problem lands on the right file and line."""

from __future__ import annotations

import json
import re

import pytest

from site_gen.cli.commands import main
from site_gen.errors import Problem
from site_gen.formats import github
from site_gen.preview.http import overlay_problems

from .conftest import VALID_ACTOR, run_cli
from .test_bad_inputs import CASES, GOOD

# The first expected fragment of each bad-input case says where the problem is:
# "bad.yaml:4:1: …", "bad.yaml:1" or "notes.txt: …" (no line).
_WHERE = re.compile(r"^(?P<file>[\w.]+\.(?:yaml|md|txt))(?::(?P<line>\d+))?(?::(?P<col>\d+))?")


def check(capsys, *args: str) -> tuple[int, str, str]:
    """`check` run in-process (fast) from the current folder, as CI runs it."""
    status = main(["check", "--content", "content", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_github_annotations_name_the_file_and_line_of_every_bad_input(
    make_site, tmp_path, monkeypatch, capsys, files, expected
):
    make_site(GOOD | files)
    monkeypatch.chdir(tmp_path)

    status, out, _ = check(capsys, "--format", "github")

    assert status == 1
    # A clash (duplicate id or slug) is reported on either of the two files it names.
    places = [annotation_start(m) for m in map(_WHERE.match, expected) if m]
    assert places, expected
    lines = out.splitlines()
    assert any(line.startswith(place) for line in lines for place in places), out
    assert all(line.startswith("::error file=content/actors/") for line in lines), out


def annotation_start(where: re.Match) -> str:
    start = f"::error file=content/actors/{where['file']}"
    if where["line"]:
        start += f",line={where['line']}"
        start += f",col={where['col']}" if where["col"] else ""
    return start + "::"


def test_json_format_lists_every_problem_with_its_place(make_site, tmp_path, monkeypatch, capsys):
    make_site({"a.yaml": "id: abc\nname: A\n", "b.yaml": "id: 3\nname: B\nteritories: []\n"})
    monkeypatch.chdir(tmp_path)

    status, out, err = check(capsys, "--format", "json")

    assert status == 1
    assert "2 problèmes trouvés" in err
    assert json.loads(out) == [
        {
            "severity": "error",
            "code": "not-a-number",
            "file": "content/actors/a.yaml",
            "line": 1,
            "column": None,
            "message": "id : un nombre entier positif est attendu, pas le texte « abc »",
            "hint": "Écrivez-le sans guillemets, par exemple : id: 293",
        },
        {
            "severity": "error",
            "code": "unknown-key",
            "file": "content/actors/b.yaml",
            "line": 3,
            "column": None,
            "message": "clé inconnue « teritories »",
            "hint": "Vouliez-vous écrire « territories » ?",
        },
    ]


def test_json_codes_stay_the_same_in_every_language(make_site, tmp_path, monkeypatch, capsys):
    make_site({"a.yaml": "id: 2\nname: A\nteritories: [Ocitanie]\ncity: NO\n"})
    monkeypatch.chdir(tmp_path)
    french = json.loads(check(capsys, "--format", "json")[1])
    english = json.loads(check(capsys, "--format", "json", "--lang", "en")[1])
    assert [p["code"] for p in french] == [p["code"] for p in english]
    assert [p["code"] for p in french] == ["unknown-key", "reinterpreted-value"]
    assert english[0]["message"] == "unknown key 'teritories'"


def test_github_escapes_messages_and_properties_as_github_does():
    problem = Problem("content/a,b:c.yaml", 7, "100% wrong\r\nsecond line", "do this", 3)
    assert github(problem) == (
        "::error file=content/a%2Cb%3Ac.yaml,line=7,col=3::"
        "100%25 wrong%0D%0Asecond line%0Aconseil : do this"
    )


def test_a_file_name_with_a_comma_stays_one_property(make_site, tmp_path, monkeypatch, capsys):
    make_site(GOOD | {"a,b.yaml": "id: 2\nname: B\nwebsite: ftp://x.fr\n"})
    monkeypatch.chdir(tmp_path)
    status, out, _ = check(capsys, "--format", "github")
    assert status == 1
    assert out.startswith("::error file=content/actors/a%2Cb.yaml,line=3::website :")


WORTH_A_LOOK = """\
id: 7
name: Sans résumé
website: http://www.exemple.fr
"""


def test_warnings_point_at_the_line_and_do_not_fail(make_site, tmp_path, monkeypatch, capsys):
    make_site({"good.yaml": VALID_ACTOR, "w.yaml": WORTH_A_LOOK})
    monkeypatch.chdir(tmp_path)

    status, out, err = check(capsys, "--format", "github")

    assert status == 0
    assert out.splitlines() == [
        "::warning file=content/actors/w.yaml,line=1::pas de résumé : les listes et les "
        "moteurs de recherche n'affichent que le nom%0Aconseil : Ajoutez une ligne "
        "« summary: … », une phrase qui dit ce que fait l'acteur.",
        "::warning file=content/actors/w.yaml,line=1::pas de territoire : la fiche "
        "n'apparaît sur aucune page de territoire%0Aconseil : Ajoutez les régions où l'acteur "
        "intervient, par exemple : territories: [Occitanie]",
        "::warning file=content/actors/w.yaml,line=3::website : « http://www.exemple.fr » "
        "n'est pas une adresse sécurisée (http:// au lieu de https://)%0Aconseil : Si le site "
        "s'ouvre en https://, écrivez plutôt : website: https://www.exemple.fr",
    ]
    assert "3 remarques" in err and "2 acteurs vérifiés" in err


def test_warnings_name_an_empty_territories_key_on_its_line(make_site, tmp_path, monkeypatch):
    make_site({"e.md": "---\nid: 8\nname: E\nsummary: Un acteur.\nterritories: []\n---\nTexte\n"})
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert result.stderr.startswith(
        "content/actors/e.md:5: remarque : pas de territoire : la fiche n'apparaît sur aucune "
        "page de territoire"
    )
    assert "1 remarque :" in result.stderr


def test_build_prints_the_warnings_and_still_builds(make_site, tmp_path):
    content = make_site({"w.yaml": WORTH_A_LOOK})
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 0, result.stderr
    assert result.stderr.count(": remarque : ") == 3
    assert result.stdout.startswith("Site fabriqué : 1 acteurs")
    assert (tmp_path / "out" / "acteurs" / "sans-resume" / "index.html").exists()


def test_https_and_complete_profiles_get_no_warning(make_site, tmp_path, monkeypatch, capsys):
    make_site({"good.yaml": VALID_ACTOR + "website: https://www.exemple.fr\n"})
    monkeypatch.chdir(tmp_path)
    status, out, err = check(capsys, "--format", "json")
    assert (status, json.loads(out)) == (0, [])
    assert "remarque" not in err


def many_without_territories(make_site, count: int):
    return make_site(
        {
            f"a{n:02}.yaml": f"id: {n + 1}\nname: Acteur {n}\nsummary: Un acteur.\n"
            for n in range(count)
        }
    )


def test_repeated_warnings_print_once_with_a_count_and_five_files(make_site, tmp_path):
    content = many_without_territories(make_site, 30)
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert result.stderr.count("pas de territoire") == 1
    assert "la même remarque à 29 autres endroits, dont : " in result.stderr
    shown = re.findall(r"a\d\d\.yaml:1", result.stderr)
    assert shown == ["a00.yaml:1", "a01.yaml:1", "a02.yaml:1", "a03.yaml:1", "a04.yaml:1"]
    assert "30 remarques" in result.stderr


def test_warnings_all_prints_each_of_them(make_site, tmp_path):
    content = many_without_territories(make_site, 30)
    result = run_cli("check", "--content", content, "--warnings", "all", cwd=tmp_path)
    assert result.stderr.count("pas de territoire") == 30


def test_a_few_warnings_of_one_kind_are_each_printed(make_site, tmp_path):
    content = many_without_territories(make_site, 5)
    result = run_cli("check", "--content", content, cwd=tmp_path)
    assert result.stderr.count("pas de territoire") == 5
    assert "la même remarque" not in result.stderr


def test_json_and_github_keep_every_warning(make_site, tmp_path, monkeypatch, capsys):
    many_without_territories(make_site, 30)
    monkeypatch.chdir(tmp_path)
    assert len(json.loads(check(capsys, "--format", "json")[1])) == 30
    assert len(check(capsys, "--format", "github")[1].splitlines()) == 30


def test_the_preview_overlay_groups_warnings_too():
    warnings = [
        Problem(f"content/actors/a{n}.yaml", 1, "m", severity="warning", code="no-territories")
        for n in range(8)
    ]
    entries = overlay_problems([Problem("content/actors/b.yaml", 2, "e", code="x"), *warnings])
    assert [e["file"] for e in entries] == ["content/actors/b.yaml", "content/actors/a0.yaml"]
    assert entries[1]["others"] == 7
    assert entries[1]["places"] == [f"content/actors/a{n}.yaml:1" for n in range(1, 5)]
    assert "others" not in entries[0]
