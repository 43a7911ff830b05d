"""Warnings before readers' links break (issue 23): an address of the last build that this
one no longer makes (a renamed, re-slugged or deleted profile, a client or term page gone),
and clients that look like two spellings of one body. Run as an editor runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_gen.build.addresses import Addresses, Before, disappeared
from site_gen.catalogue.similar_clients import alike, words
from site_gen.content.model import Actor, Catalogue, Vocabularies

from .conftest import VALID_ACTOR, Result, run_cli

OTHER = VALID_ACTOR.replace("id: 1\nname: Exemple\n", "id: 2\nname: Autre\n")


def build(site: Path, *args: str) -> Result:
    result = run_cli("--content", "content", *args, cwd=site)
    assert result.status == 0, result.stderr
    return result


def check_json(site: Path, *args: str) -> list[dict]:
    result = run_cli("check", "--content", "content", "--format", "json", *args, cwd=site)
    assert result.status == 0, result.stderr
    return json.loads(result.stdout or "[]")


def codes(problems: list[dict]) -> set[str]:
    return {p["code"] for p in problems}


ADDRESS_CODES = {"address-moved", "address-deleted", "client-page-gone", "term-page-gone"}


def edit(content: Path, name: str, old: str, new: str) -> None:
    path = content / "actors" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- addresses that disappear ---------------------------------------------------------


def test_a_first_build_and_an_ordinary_edit_warn_of_no_address(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR, "autre.yaml": OTHER})
    assert check_json(tmp_path) == []  # nothing built yet: nothing to compare with
    first = build(tmp_path)
    assert "disparaît" not in first.stderr and "remarque" not in first.stderr
    edit(content, "exemple.yaml", "Un acteur valide.", "Un acteur valide et modifié.")
    second = build(tmp_path)
    assert "remarque" not in second.stderr, second.stderr
    assert check_json(tmp_path) == []


def test_a_slug_change_names_the_address_gone_and_the_aliases_line_to_add(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR + "slug: exemple\n"})
    build(tmp_path)
    edit(content, "exemple.yaml", "slug: exemple\n", "slug: exemple-sud\n")

    checked = run_cli("check", "--content", "content", cwd=tmp_path)

    assert checked.status == 0
    assert (
        "content/actors/exemple.yaml:6: remarque : l'adresse /acteurs/exemple/ disparaît : "
        "cette fiche est désormais à l'adresse /acteurs/exemple-sud/\n"
        "    conseil : Pour que les liens vers l'ancienne adresse mènent ici, ajoutez la "
        "ligne : aliases: [exemple]\n"
    ) in checked.stderr
    built = build(tmp_path)
    assert "l'adresse /acteurs/exemple/ disparaît" in built.stderr  # the build says it too
    assert not (tmp_path / "output" / "acteurs" / "exemple").exists()  # and it is gone

    # the line of the hint, added as it is, brings the address back as a redirect
    edit(content, "exemple.yaml", "slug: exemple-sud\n", "slug: exemple-sud\naliases: [exemple]\n")
    fixed = build(tmp_path)
    assert "disparaît" not in fixed.stderr
    redirect = (tmp_path / "output" / "acteurs" / "exemple" / "index.html").read_text()
    assert "/acteurs/exemple-sud/" in redirect


def test_the_warning_belongs_to_the_build_that_removes_the_address(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR})
    build(tmp_path)
    edit(content, "exemple.yaml", "name: Exemple\n", "name: Exemple Ouest\n")
    assert "disparaît" in build(tmp_path).stderr
    again = build(tmp_path)  # nothing changed: the address went with the last build
    assert "À jour" in again.stdout and "disparaît" not in again.stderr
    assert check_json(tmp_path) == []


def test_a_rename_keeps_the_aliases_already_there_in_the_line_to_write(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR + "aliases: [ancien]\n"})
    build(tmp_path)
    edit(content, "exemple.yaml", "name: Exemple\n", "name: Exemple Ouest\n")

    [problem] = check_json(tmp_path)

    assert problem["code"] == "address-moved"
    assert (problem["file"], problem["line"]) == ("content/actors/exemple.yaml", 2)  # name:
    assert problem["message"] == (
        "l'adresse /acteurs/exemple/ disparaît : cette fiche est désormais à l'adresse "
        "/acteurs/exemple-ouest/"
    )
    assert problem["hint"].endswith("écrivez plutôt : aliases: [ancien, exemple]")


def test_an_alias_removed_is_an_address_gone(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR + "aliases: [ancien, vieux]\n"})
    build(tmp_path)
    edit(content, "exemple.yaml", "aliases: [ancien, vieux]\n", "aliases: [ancien]\n")

    [problem] = check_json(tmp_path)

    assert problem["message"].startswith("l'adresse /acteurs/vieux/ disparaît")
    assert problem["hint"].endswith("aliases: [ancien, vieux]")


def test_a_deleted_actor_says_its_address_will_answer_404(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR, "autre.yaml": OTHER})
    build(tmp_path)
    (content / "actors" / "autre.yaml").unlink()

    problems = check_json(tmp_path)

    [deleted] = [p for p in problems if p["code"] == "address-deleted"]
    assert deleted["file"] == "content/actors/autre.yaml" and deleted["line"] is None
    assert deleted["message"] == (
        "la fiche « Autre » a disparu : son adresse /acteurs/autre/ répondra « erreur 404 » "
        "(page introuvable)"
    )
    assert "aliases: [autre]" in deleted["hint"]
    built = build(tmp_path)
    assert "la fiche « Autre » a disparu" in built.stderr


def test_a_renamed_file_with_its_actor_is_a_move_not_a_deletion(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR})
    build(tmp_path)
    renamed = VALID_ACTOR.replace("name: Exemple\n", "name: Exemple Nouveau\n")
    (content / "actors" / "exemple.yaml").unlink()
    (content / "actors" / "exemple-nouveau.yaml").write_text(renamed, encoding="utf-8")

    [problem] = check_json(tmp_path)

    assert problem["code"] == "address-moved"  # the same id: the same actor
    assert problem["file"] == "content/actors/exemple-nouveau.yaml"
    assert problem["hint"].endswith("aliases: [exemple]")


def test_a_client_page_gone_gets_a_gentler_mention(make_site, tmp_path):
    actor = VALID_ACTOR + "clients: [Ville de Brest]\n"
    content = make_site({"exemple.yaml": actor})
    build(tmp_path)
    edit(content, "exemple.yaml", "Ville de Brest", "Ville de Quimper")

    [problem] = check_json(tmp_path)

    assert problem["code"] == "client-page-gone"
    assert problem["file"] == "content/clients.yaml"
    assert problem["message"] == (
        "la page de client /clients/ville-de-brest/ disparaît : plus aucune fiche ne cite ce client"
    )
    assert problem["hint"].startswith("Rien à faire si le nom d'un client a été changé")


def test_a_term_removed_from_the_vocabularies_mentions_its_page(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR})
    build(tmp_path)
    vocabularies = content / "vocabularies.yaml"
    text = vocabularies.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if "Bretagne" not in line]
    assert len(kept) < len(text.splitlines())
    vocabularies.write_text("".join(kept), encoding="utf-8")

    problems = check_json(tmp_path)

    [problem] = [p for p in problems if p["code"] == "term-page-gone"]
    assert problem["file"] == "content/vocabularies.yaml"
    assert "/territoires/bretagne/" in problem["message"]


def test_check_compares_with_the_output_folder_it_is_given(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR})
    build(tmp_path, "--output", "public")
    edit(content, "exemple.yaml", "name: Exemple\n", "name: Exemple Ouest\n")
    assert check_json(tmp_path) == []  # output/ was never built
    assert codes(check_json(tmp_path, "--output", "public")) == {"address-moved"}


def test_the_address_warnings_in_english(make_site, tmp_path):
    content = make_site({"exemple.yaml": VALID_ACTOR})
    build(tmp_path)
    edit(content, "exemple.yaml", "name: Exemple\n", "name: Exemple Ouest\n")
    result = run_cli("check", "--content", "content", "--lang", "en", cwd=tmp_path)
    assert (
        "warning: the address /acteurs/exemple/ disappears: this profile is now at "
        "/acteurs/exemple-ouest/\n    hint: So that links to the former address lead here, "
        "add this line: aliases: [exemple]"
    ) in result.stderr


def _actor(actor_id: int, slug: str, source: str) -> Actor:
    return Actor(actor_id, slug.title(), slug, source, lines={"slug": 3})


def test_without_the_owners_in_the_record_an_address_gone_is_still_named():
    # a record from before `Addresses`: the routes only
    before = Before({"acteurs/exemple/", "acteurs/1/", "clients/a-b/"}, None)
    catalogue = Catalogue((_actor(1, "autre", "content/actors/a.yaml"),), Vocabularies((), ()))
    problems = disappeared(before, catalogue.actors, {"acteurs/autre/", "acteurs/1/"}, "content")
    assert [(p.code, p.path) for p in problems] == [
        ("address-deleted", "content/actors"),
        ("client-page-gone", "content/clients.yaml"),
    ]
    assert "aliases: [exemple]" in problems[0].hint


def test_an_actor_whose_id_changed_in_the_same_file_is_a_move():
    old = Catalogue((_actor(1, "exemple", "content/actors/a.yaml"),), Vocabularies((), ()))
    new = Catalogue((_actor(7, "nouveau", "content/actors/a.yaml"),), Vocabularies((), ()))
    before = Before({"acteurs/exemple/"}, Addresses.of(old))
    [problem] = disappeared(before, new.actors, {"acteurs/nouveau/"}, "content")
    assert (problem.code, problem.path, problem.line) == (
        "address-moved",
        "content/actors/a.yaml",
        3,
    )


def test_many_client_pages_gone_make_one_warning_naming_the_first_five():
    gone = {f"clients/client-{n:02}/" for n in range(8)}
    catalogue = Catalogue((), Vocabularies((), ()))
    [problem] = disappeared(Before(gone, Addresses({})), catalogue.actors, set(), "content")
    assert "/clients/client-04/" in problem.message
    assert "/clients/client-05/" not in problem.message
    assert problem.message.endswith("et 3 autres")


# --- clients that look alike ------------------------------------------------------------


def clients_site(make_site, *names: str, clients_yaml: str | None = None) -> Path:
    """One actor per client name, each naming it in `clients`."""
    files = {}
    for number, name in enumerate(names, start=1):
        actor = VALID_ACTOR.replace("id: 1\nname: Exemple\n", f"id: {number}\nname: A{number}\n")
        files[f"a{number}.yaml"] = actor + f"clients:\n  - {name}\n"
    content = make_site(files)
    if clients_yaml is not None:
        (content / "clients.yaml").write_text(clients_yaml, encoding="utf-8")
    return content


def test_clients_that_look_alike_are_a_warning_with_the_line_to_add(make_site, tmp_path):
    clients_site(
        make_site,
        "Montpellier Méditerranée Métropole",
        "Montpellier Méditerranée Métropole",
        "Montpellier Métropole",
    )

    result = run_cli("check", "--content", "content", cwd=tmp_path)

    assert result.status == 0
    assert (
        "content/actors/a3.yaml:6: remarque : le client « Montpellier Métropole » ressemble à "
        "« Montpellier Méditerranée Métropole », que citent 2 fiches (content/actors/a1.yaml…) : "
        "s'il s'agit de la même structure, elle a deux pages de client\n"
        "    conseil : S'il s'agit de la même structure, ajoutez à content/clients.yaml la "
        "ligne : Montpellier Méditerranée Métropole: [Montpellier Métropole]\n"
    ) in result.stderr


def test_the_line_of_the_hint_merges_the_two_client_pages(make_site, tmp_path):
    content = clients_site(make_site, "Lyon Métropole", "Métropole de Lyon", "Métropole de Lyon")
    [problem] = check_json(tmp_path)
    assert problem["code"] == "similar-clients" and problem["file"] == "content/actors/a1.yaml"
    line = problem["hint"].rpartition("la ligne : ")[2]
    assert line == "Métropole de Lyon: [Lyon Métropole]"
    (content / "clients.yaml").write_text(line + "\n", encoding="utf-8")
    assert check_json(tmp_path) == []
    build(tmp_path)
    assert (tmp_path / "output" / "clients" / "metropole-de-lyon").is_dir()
    assert not (tmp_path / "output" / "clients" / "lyon-metropole").exists()


def test_the_line_follows_the_form_of_clients_yaml(make_site, tmp_path):
    listed = "clients:\n  - name: Ville de Brest\n    aliases: [Brest ville]\n"
    clients_site(make_site, "Grand Est", "Région Grand Est", clients_yaml=listed)
    [problem] = check_json(tmp_path)
    assert problem["hint"] == (
        "S'il s'agit de la même structure, ajoutez sous « clients: » dans "
        "content/clients.yaml la ligne : - {name: Région Grand Est, aliases: [Grand Est]}"
    )


def test_a_client_clients_yaml_lists_already_gets_an_alias_to_add(make_site, tmp_path):
    listed = "Montpellier Méditerranée Métropole: [3M]\n"
    clients_site(make_site, "Montpelier Métropole", "Montpellier Méditerranée Métropole",
                 clients_yaml=listed)  # fmt: skip
    [problem] = check_json(tmp_path)
    assert problem["hint"] == (
        "S'il s'agit de la même structure, ajoutez « Montpelier Métropole » aux aliases de "
        "« Montpellier Méditerranée Métropole » dans content/clients.yaml."
    )


@pytest.mark.parametrize(
    "names",
    [
        ("Ville de Lyon", "Métropole de Lyon"),  # two bodies of one city
        ("Lyon", "Ville de Lyon"),  # one word says too little
        ("Ville de Nantes", "Ville de Mantes"),  # short words: other places, not typos
        ("Région Grand Est", "Agence régionale de santé Grand Est"),
        ("Ville de Paris", "Paris Habitat"),
        ("Paris", "Direction de l'urbanisme de la Ville de Paris"),
        # a name within several others ties none of them together
        (
            "Communauté de communes",
            "Communauté de communes du Pays de Gex",
            "Communauté de communes du Val de Drôme",
        ),
    ],
)
def test_clients_of_other_bodies_are_not_warned_of(make_site, tmp_path, names):
    clients_site(make_site, *names)
    assert check_json(tmp_path) == []


def test_two_clients_both_in_clients_yaml_are_two_bodies(make_site, tmp_path):
    listed = "Région Grand Est: []\nGrand Est: []\n"
    clients_site(make_site, "Grand Est", "Région Grand Est", clients_yaml=listed)
    assert check_json(tmp_path) == []


def test_many_similar_clients_print_as_one_grouped_warning(make_site, tmp_path):
    cities = ["Brest", "Dijon", "Nancy", "Rouen", "Tours", "Reims", "Angers"]
    names = [n for city in cities for n in (f"{city} Métropole", f"Métropole de {city}")]
    clients_site(make_site, *names)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.stderr.count("ressemble à") == 1, result.stderr
    assert "la même remarque à 6 autres endroits, dont :" in result.stderr
    every = run_cli("check", "--content", "content", "--warnings", "all", cwd=tmp_path)
    assert every.stderr.count("ressemble à") == 7


@pytest.mark.parametrize(
    ("fewer", "more", "expected"),
    [
        ("montpellier-metropole", "montpellier-mediterranee-metropole", True),
        ("montpelier-metropole", "montpellier-metropole", True),  # a typo in a long word
        ("strasbourg-eurometropole", "eurometropole-de-strasbourg", True),  # words reordered
        ("region-occitanie", "region-occitanie-pyrenees-mediterranee", True),
        ("ville-lyon", "ville-de-lyon-3e-arrondissement-nord", False),  # three words more
        ("montpelier-metropol", "montpellier-metropole", False),  # two typos
        ("vannes-agglo", "cannes-agglo", False),
    ],
)
def test_the_rule_for_names_alike(fewer, more, expected):
    assert alike(words(fewer), words(more)) is expected


def test_edit_rebuilds_keep_and_update_the_warnings_about_similar_clients(make_site, tmp_path):
    content = clients_site(make_site, "Métropole de Lyon", "Lyon Métropole", "Ville de Brest")
    assert "ressemble à" in build(tmp_path).stderr
    # a text edit (an edit rebuild): the warning is still the catalogue's
    edit(content, "a3.yaml", "summary: Un acteur valide.", "summary: Un autre acteur.")
    assert "ressemble à" in build(tmp_path).stderr
    # the edit that merges the names in the files: the edit rebuild sees it gone
    edit(content, "a2.yaml", "  - Lyon Métropole\n", "  - Métropole de Lyon\n")
    assert "ressemble à" not in build(tmp_path).stderr
    # and one that makes another pair alike
    edit(content, "a1.yaml", "  - Métropole de Lyon\n", "  - Ville de Brest Métropole\n")
    assert "« Ville de Brest »" in build(tmp_path).stderr
