"""docs/guide-editeurs.md quotes the messages editors really get, in step with the catalog."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from .conftest import ROOT, VALID_ACTOR, run_cli

GUIDE = ROOT / "docs" / "guide-editeurs.md"
CATALOG = ROOT / "site_gen" / "locale" / "fr" / "LC_MESSAGES" / "site_gen.po"


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    return text[start : text.index("\n## ", start + 1)]


def test_the_guides_example_message_is_what_check_prints(make_site, tmp_path):
    block = re.search(r"```text\n(.*?)```", section("Lire un message d'erreur"), re.S)[1]
    file = VALID_ACTOR.replace("contexts: [Santé]\n", "teritories: [Occitanie]\n")
    content = make_site({"mon-acteur.yaml": file})
    assert file.splitlines()[4].startswith("teritories")  # on line 5, as in the guide
    result = run_cli("check", "--content", "content", cwd=content.parent)
    assert result.stderr.startswith(block), result.stderr


def templates() -> list[re.Pattern]:
    """Each French message of the catalog as a pattern: a placeholder stands for anything."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    found = []
    for message in catalog:
        for text in message.string if isinstance(message.string, tuple) else [message.string]:
            if text:
                parts = re.split(r"\{\w+\}", text)
                found.append(re.compile(".+".join(map(re.escape, parts))))
    return found


def test_every_message_the_guide_lists_is_one_of_the_catalog():
    rows = re.findall(r"^\| `([^`]+)` \|", section("Lire un message d'erreur"), re.M)
    assert len(rows) >= 10
    patterns = templates()
    # "{where} : {problem}" joins a key and one of the messages of a value
    joined = [r.split(" : ", 1)[1] if re.match(r"^[\w\[\]]+ : ", r) else r for r in rows]
    unknown = [
        row
        for row, inner in zip(rows, joined, strict=True)
        if not any(p.fullmatch(row) or p.fullmatch(inner) for p in patterns)
    ]
    assert unknown == [], "the guide quotes messages site_gen does not print"


def test_the_guides_address_warning_is_what_check_prints_after_a_rename(make_site, tmp_path):
    block = re.search(r"```text\n(.*?)```", section("Modifier un acteur"), re.S)[1]
    actor = VALID_ACTOR.replace("name: Exemple\n", "name: Mon acteur\n")
    content = make_site({"mon-acteur.yaml": actor})
    assert run_cli("--content", "content", cwd=tmp_path).status == 0
    renamed = actor.replace("name: Mon acteur\n", "name: Mon acteur Ouest\n")
    (content / "actors" / "mon-acteur.yaml").write_text(renamed, encoding="utf-8")
    result = run_cli("check", "--content", "content", cwd=content.parent)
    assert result.stderr.startswith(block), result.stderr


def test_the_guides_similar_clients_warning_is_what_check_prints(make_site, tmp_path):
    block = re.search(r"```text\n(.*?)```", section("Les clients et leur type"), re.S)[1]
    other = VALID_ACTOR.replace("id: 1\nname: Exemple\n", "id: 2\nname: Autre\n")
    make_site(
        {
            "mon-acteur.yaml": VALID_ACTOR + "clients: [Montpellier Métropole]\n",
            "autre.yaml": other + "clients: [Montpellier Méditerranée Métropole]\n",
        }
    )
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.stderr.startswith(block), result.stderr
