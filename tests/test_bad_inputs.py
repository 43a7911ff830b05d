"""Every editor mistake of the catalogue issue: a clear `file:line: message`, exit status 1,
no traceback, and the previous output left exactly as it was."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from site_gen.content.schema import ACTOR_FIELDS

from .conftest import ROOT, VALID_ACTOR, SiteFactory, run_cli, tree_snapshot

GOOD = {"good.yaml": VALID_ACTOR}

# (case id, files to add beside a valid actor, expected fragments of the error output, in
# French: the language of the messages unless the site or `--lang` asks for another)
DIGITS_ONLY = "conseil : Écrivez le nombre avec les chiffres 0 à 9 seulement, par exemple : id: 293"

CASES = [
    (
        "yaml-tab",
        {"bad.yaml": "id: 2\nname: B\nclients:\n\t- A\n"},
        [
            "bad.yaml:4:1: cette ligne est décalée avec une tabulation",
            "remplacez la tabulation par des espaces",
        ],
    ),
    (
        "yaml-indentation",
        {"bad.yaml": "id: 2\nname: B\n  summary: x\n"},
        ["bad.yaml:3:3: cette ligne est plus décalée que la ligne du dessus"],
    ),
    (
        "yaml-colon-without-space",
        {"bad.yaml": "id: 2\nname: B\ncity:Toulouse\nsummary: x\n"},
        [
            "bad.yaml:3:5: il manque une espace après les deux-points de « city: »",
            "Écrivez plutôt : city: Toulouse",
        ],
    ),
    (
        "yaml-text-badly-indented",
        {
            "bad.yaml": "id: 2\nname: B\nservices:\n  - title: A\n    description: |\n"
            "      Première ligne\n    seconde ligne\nsummary: x\n"
        },
        ["bad.yaml:7:5: cette ligne n'a pas de deux-points", "décalez-la comme ce texte"],
    ),
    (
        "yaml-colon-in-value",
        {"bad.yaml": "id: 2\nname: B\nsummary: Ville : projet: test\n"},
        [
            "bad.yaml:3:16: la valeur de « summary » contient « : »",
            'Écrivez plutôt : summary: "Ville : projet: test"',
        ],
    ),
    (
        "yaml-unclosed-quote",
        {"bad.yaml": 'id: 2\nname: "B\nsummary: x\n'},
        ["bad.yaml:2:7: les guillemets ouverts ici ne sont jamais fermés"],
    ),
    (
        "yaml-unclosed-bracket",
        {"bad.yaml": "id: 2\nname: B\nterritories: [Occitanie\nsummary: x\n"},
        ["bad.yaml:3:14: le « [ » ouvert ici n'est jamais fermé", "« ] »"],
    ),
    (
        "yaml-value-starting-with-at",
        {"bad.yaml": "id: 2\nname: @B\n"},
        [
            "bad.yaml:2:7: une valeur ne peut pas commencer par « @ »",
            'Écrivez plutôt : name: "@B"',
        ],
    ),
    (
        "yaml-list-item-misaligned",
        {"bad.yaml": "id: 2\nname: B\nclients:\n  - A\n - B\n"},
        ["bad.yaml:5:2: cette ligne n'est pas alignée avec les lignes du dessus"],
    ),
    (
        "not-utf8",
        {"bad.yaml": "id: 2\nname: Cit\xe9\n".encode("latin-1")},
        ["bad.yaml:2: le fichier n'est pas du texte UTF-8", "l'encodage UTF-8"],
    ),
    (
        "front-matter-unclosed",
        {"bad.md": "---\nid: 2\nname: B\n\nTexte.\n"},
        [
            "bad.md:4: l'en-tête ouvert par « --- » à la ligne 1 n'est jamais fermé : "
            "une ligne « --- » est attendue ici",
            "après la dernière clé (ligne 3)",
        ],
    ),
    (
        "md-without-front-matter",
        {"bad.md": "# Titre\n"},
        ["bad.md:1: une fiche .md doit commencer par une ligne « --- »", "l'en-tête"],
    ),
    (
        "top-level-list",
        {"bad.yaml": "- id: 2\n- name: B\n"},
        ["bad.yaml:1: des clés comme « id: » et « name: » sont attendues, pas une liste"],
    ),
    (
        "top-level-text",
        {"bad.yaml": "just some words\n"},
        ["bad.yaml:1: des clés comme « id: » et « name: » sont attendues, pas le texte"],
    ),
    ("empty-file", {"bad.yaml": ""}, ["bad.yaml:1: le fichier est vide"]),
    ("missing-id", {"bad.yaml": "name: B\n"}, ["bad.yaml:1: la clé obligatoire « id » manque"]),
    (
        "missing-name",
        {"bad.yaml": "id: 2\n"},
        ["bad.yaml:1: la clé obligatoire « name » manque"],
    ),
    (
        "id-not-a-number",
        {"bad.yaml": "name: B\nid: abc\n"},
        ["bad.yaml:2: id : un nombre entier positif est attendu, pas le texte « abc »"],
    ),
    (
        "id-negative",
        {"bad.yaml": "id: -4\nname: B\n"},
        ["bad.yaml:1: id : un nombre entier positif est attendu, pas le nombre -4"],
    ),
    (
        "id-with-a-leading-zero",
        {"bad.yaml": "id: 012\nname: B\n"},
        [
            "bad.yaml:1: id : « 012 » est lu par YAML comme le nombre 10",
            "Écrivez plutôt : id: 12",
        ],
    ),
    (
        "phone-read-as-a-number",
        {"bad.yaml": "id: 2\nname: B\nphone: 0561000000\n"},
        [
            "bad.yaml:3: phone : un texte est attendu, pas « 0561000000 », que YAML lit comme "
            "un nombre",
            'Écrivez plutôt : phone: "05 61 00 00 00"',
        ],
    ),
    (
        "city-read-as-no",
        {"bad.yaml": "id: 2\nname: B\ncity: NO\n"},
        [
            "bad.yaml:3: city : un texte est attendu, pas « NO », que YAML lit comme oui ou non",
            'Écrivez plutôt : city: "NO"',
        ],
    ),
    (
        "time-read-as-a-number",
        {"bad.yaml": "id: 2\nname: B\nlegal_form: 12:30\n"},
        ["bad.yaml:3: legal_form : un texte est attendu, pas « 12:30 »", 'legal_form: "12:30"'],
    ),
    (
        "hexadecimal-read-as-a-number",
        {"bad.yaml": "id: 2\nname: B\ncity: 0x1F\n"},
        ["bad.yaml:3: city : un texte est attendu, pas « 0x1F »", 'city: "0x1F"'],
    ),
    (
        "exponent-read-as-a-number",
        {"bad.yaml": "id: 2\nname: B\ncity: 1.0e+3\n"},
        ["bad.yaml:3: city : un texte est attendu, pas « 1.0e+3 »", 'city: "1.0e+3"'],
    ),
    (
        "clients-not-a-list",
        {"bad.yaml": 'id: 2\nname: B\nclients: "Nîmes"\n'},
        ["bad.yaml:3: clients : une liste est attendue, pas le texte « Nîmes »", "« - »"],
    ),
    (
        "service-not-an-entry",
        {"bad.yaml": "id: 2\nname: B\nservices:\n  - Formation\n"},
        [
            "bad.yaml:4: services[1] : une entrée avec des clés (title:, tagline:, "
            "description:) est attendue, pas le texte « Formation »"
        ],
    ),
    (
        "service-without-title",
        {"bad.yaml": "id: 2\nname: B\nservices:\n  - tagline: x\n"},
        ["bad.yaml:4: la clé obligatoire « title » manque dans services[1]"],
    ),
    (
        "unknown-key",
        {"bad.yaml": "id: 2\nname: B\nteritories: [Occitanie]\n"},
        ["bad.yaml:3: clé inconnue « teritories »", "Vouliez-vous écrire « territories » ?"],
    ),
    (
        "unknown-nested-key",
        {"bad.yaml": "id: 2\nname: B\nexperiences:\n  - client: A\n    titel: x\n"},
        ["bad.yaml:5: clé inconnue « titel » dans experiences[1]", "« title » ?"],
    ),
    (
        "unknown-territory",
        {"bad.yaml": "id: 2\nname: B\nterritories:\n  - Ocitanie\n"},
        [
            "bad.yaml:4: territories[1] : « Ocitanie » n'est pas dans le vocabulaire territories",
            "Vouliez-vous écrire « Occitanie » ?",
        ],
    ),
    (
        "unknown-context",
        {"bad.yaml": "id: 2\nname: B\ncontexts: [Urbanism]\n"},
        [
            "bad.yaml:3: contexts[1] : « Urbanism » n'est pas dans le vocabulaire contexts",
            "Vouliez-vous écrire « Urbanisme et aménagement » ?",
        ],
    ),
    (
        "term-listed-twice",
        {"bad.yaml": "id: 2\nname: B\nterritories:\n  - Corse\n  - Bretagne\n  - Corse\n"},
        [
            "bad.yaml:6: territories[3] : « Corse » est déjà dans la liste (élément 1, ligne 4)",
            "chaque terme n'est cité qu'une fois",
        ],
    ),
    (
        "client-twice-in-one-file",
        {"bad.yaml": "id: 2\nname: B\nclients:\n  - Ville de Nîmes\n  - ville de nimes\n"},
        [
            "bad.yaml:5: clients[2] : « ville de nimes » est le même client que "
            "« Ville de Nîmes » de la ligne 4",
            "Supprimez l'une des deux lignes (la ligne 4 ou celle-ci)",
        ],
    ),
    (
        "duplicate-id",
        {"zzz.yaml": "id: 1\nname: Autre\n"},
        [
            "zzz.yaml:1: l'id 1 est déjà pris par ",
            "good.yaml:1\n",
            "le prochain id libre : id: 2",
        ],
    ),
    (
        "duplicate-slug",
        {"bad.yaml": "id: 2\nname: Deux\nslug: exemple\n"},
        ["good.yaml:2: le slug « exemple » est déjà pris par ", "bad.yaml:3\n"],
    ),
    (
        "javascript-url",
        {"bad.yaml": 'id: 2\nname: B\nwebsite: "javascript:alert(1)"\n'},
        ["bad.yaml:3: website : « javascript:alert(1) » n'est pas une adresse web"],
    ),
    (
        "ftp-url",
        {"bad.yaml": "id: 2\nname: B\nwebsite: ftp://exemple.fr\n"},
        ["bad.yaml:3: website : « ftp://exemple.fr » n'est pas une adresse web"],
    ),
    (
        "url-without-https",
        {"bad.yaml": "id: 2\nname: B\nwebsite: www.exemple.fr\n"},
        [
            "bad.yaml:3: website : « www.exemple.fr » n'est pas une adresse web",
            "Écrivez plutôt : website: https://www.exemple.fr",
        ],
    ),
    (
        "bad-email",
        {"bad.yaml": "id: 2\nname: B\nemail: contact@exemple\n"},
        ["bad.yaml:3: email : « contact@exemple » n'est pas une adresse e-mail"],
    ),
    (
        "empty-name",
        {"bad.yaml": 'id: 2\nname: "  "\n'},
        ["bad.yaml:2: name : ne doit pas être vide"],
    ),
    (
        "unsafe-slug-dotdot",
        {"bad.yaml": "id: 2\nname: B\nslug: ../x\n"},
        ["bad.yaml:3: slug : « ../x » n'est pas un slug valide"],
    ),
    (
        "unsafe-slug-absolute",
        {"bad.yaml": "id: 2\nname: B\nslug: /etc\n"},
        ["bad.yaml:3: slug : « /etc » n'est pas un slug valide"],
    ),
    (
        "python-tag",
        {"bad.yaml": "id: 2\nname: B\nabout: !!python/object/apply:os.system [ls]\n"},
        ["bad.yaml:3:8: l'étiquette YAML « !!python/object/apply:os.system » n'est pas acceptée"],
    ),
    (
        "alias-bomb",
        {"bad.yaml": "id: 2\nname: &n B\nsummary: *n\n"},
        ["bad.yaml:3: les alias YAML (*nom) ne sont pas acceptés"],
    ),
    (
        "too-big",
        {"bad.yaml": "id: 2\nname: B\nabout: |\n" + "  x\n" * 300_000},
        [
            "bad.yaml: le fichier fait 1\u202f200\u202f023 octets ; "
            "la limite est de 1\u202f000\u202f000"
        ],
    ),
    (
        "commons-not-boolean",
        {"bad.yaml": "id: 2\nname: B\ncommons: Non\n"},
        ["bad.yaml:3: commons : true ou false est attendu, pas le texte « Non »"],
    ),
    (
        "bad-date",
        {"bad.yaml": "id: 2\nname: B\nupdated: 2026-13-01\n"},
        ["bad.yaml:3:10: updated : « 2026-13-01 » n'est pas une date du calendrier", "AAAA-MM-JJ"],
    ),
    (
        "date-as-text",
        {"bad.yaml": "id: 2\nname: B\nupdated: hier\n"},
        ["bad.yaml:3: updated : une date écrite AAAA-MM-JJ est attendue, pas le texte « hier »"],
    ),
    (
        "summary-too-long",
        {"bad.yaml": "id: 2\nname: B\nsummary: " + "x" * 301 + "\n"},
        ["bad.yaml:3: summary : fait 301 caractères ; la limite est de 300"],
    ),
    (
        "duplicate-key",
        {"bad.yaml": "id: 2\nname: B\nname: C\n"},
        ["bad.yaml:3:1: la clé « name » apparaît deux fois (d'abord ligne 2)"],
    ),
    (
        "about-twice",
        {"bad.md": "---\nid: 2\nname: B\nabout: x\n---\nTexte\n"},
        ["bad.md:6: « about » est donné deux fois", "(ligne 4)"],
    ),
    (
        "client-without-letters",
        {"bad.yaml": "id: 2\nname: B\nclients:\n  - A\n  - '...'\n"},
        ["bad.yaml:5: clients[2] : « ... » n'est pas un nom"],
    ),
    (
        "experience-client-without-letters",
        {"bad.yaml": "id: 2\nname: B\nexperiences:\n  - client: '—'\n"},
        ["bad.yaml:4: experiences[1].client : « — » n'est pas un nom"],
    ),
    (
        "not-an-actor-file",
        {"notes.txt": "hello\n"},
        ["notes.txt: ce n'est pas une fiche d'acteur", ".yaml ou .md"],
    ),
    # --- hardening, round two (issue 22) ---
    (
        "markdown-nested-quotes",
        {"bad.yaml": "id: 2\nname: B\nabout: |\n  " + "> " * 400_000 + "x\n"},
        ["bad.yaml:3: about : imbrique 400\u202f000 citations, listes ou éléments HTML"],
    ),
    (
        "markdown-nested-html",
        {"bad.md": "---\nid: 2\nname: B\n---\n\n" + "<div>" * 190_000 + "x\n"},
        ["bad.md:6: about: imbrique 190\u202f000 citations, listes ou éléments HTML"],
    ),
    (
        "control-character-c0",
        {"bad.yaml": 'id: 2\nname: B\nsummary: "Un \\x07 acteur"\n'},
        ["bad.yaml:3: summary : contient le caractère invisible U+0007 (caractère n° 4 du texte)"],
    ),
    (
        "control-character-c1-in-a-service",
        {"bad.yaml": 'id: 2\nname: B\nservices:\n  - title: "Atelier\\x9b"\n'},
        ["bad.yaml:4: title : contient le caractère invisible U+009B (caractère n° 8 du texte)"],
    ),
    (
        "noncharacter-in-a-md-body",
        {"bad.md": "---\nid: 2\nname: B\n---\nTexte \ufdd0.\n"},
        ["bad.md:5: about: contient le caractère invisible U+FDD0 (caractère n° 7 du texte)"],
    ),
    (
        "raw-control-character",
        {"bad.yaml": "id: 2\nname: B\nsummary: Un \x07 acteur\n"},
        ["bad.yaml:3: le fichier contient le caractère de contrôle U+0007, que YAML n'accepte pas"],
    ),
    (
        "slug-too-long",
        {"bad.yaml": "id: 2\nname: B\nslug: " + "a" * 150 + "\n"},
        ["bad.yaml:3: slug : fait 150 caractères ; la limite est de 100"],
    ),
    (
        "slug-from-a-long-name",
        {"bad.yaml": "id: 2\nname: " + "Association " * 30 + "\n"},
        ["bad.yaml:2: l'adresse tirée de ce nom fait 359 caractères ; la limite est de 100"],
    ),
    (
        "client-name-too-long",
        {"bad.yaml": "id: 2\nname: B\nclients:\n  - " + "Ville " * 40 + "\n"},
        ["bad.yaml:4: clients[1]: the name is 239 characters long, too long to make the address"],
    ),
    *[
        (
            f"id-{name}",
            {"bad.yaml": f"id: {written}\nname: B\n"},
            [f"bad.yaml:1: id : « {written} » est lu par YAML comme le nombre {read}\n    {hint}"],
        )
        for name, written, read, hint in (
            ("hexadecimal", "0x1389", 5001, DIGITS_ONLY),
            ("underscore", "5_001", 5001, DIGITS_ONLY),
            ("base-60", "1:23:21", 5001, DIGITS_ONLY),
            ("octal", "0445", 293, "conseil : Écrivez plutôt : id: 445"),
        )
    ],
    (
        "id-too-large",
        {"bad.yaml": f"id: {2**53 + 1}\nname: B\n"},
        [
            "bad.yaml:1: id : 9007199254740993 est trop grand",
            "la limite est de 1\u202f000\u202f000\u202f000",
        ],
    ),
    (
        "number-as-text-quoted-as-written",
        {"bad.yaml": "id: 2\nname: 0445\n"},
        ["bad.yaml:2: name : un texte est attendu, pas « 0445 », que YAML lit comme un nombre"],
    ),
    (
        "nul-byte-on-its-line",
        {"bad.yaml": b"id: 2\nname: B\nsummary: a\x00b\n"},
        ["bad.yaml:3:11: le fichier contient un caractère NUL (un caractère invisible, l'octet 0)"],
    ),
    (
        "utf16-without-mark",
        {"bad.yaml": "id: 2\nname: B\n".encode("utf-16-le")},
        ["bad.yaml:1: le fichier n'est pas du texte UTF-8"],
    ),
    (
        "key-that-is-a-list",
        {"bad.yaml": "id: 2\nname: B\n[a, b]: x\n"},
        ["bad.yaml:3:1: une clé doit être un mot, pas une liste"],
    ),
    (
        "key-that-is-a-number",
        {"bad.yaml": "id: 2\nname: B\n2024: x\n"},
        ["bad.yaml:3:1: une clé doit être un mot, pas « 2024 »"],
    ),
    (
        "merge-key",
        {"bad.yaml": "id: 2\nname: B\n<<: {summary: x}\n"},
        ["bad.yaml:3:1: les clés de fusion YAML (<<) ne sont pas acceptées"],
    ),
]

# French key names, and the key each one is meant as
FRENCH_KEYS = [
    ("nom", "name"),
    ("ville", "city"),
    ("résumé", "summary"),
    ("références", "experiences"),
    ("site", "website"),
    ("courriel", "email"),
    ("téléphone", "phone"),
    ("territoires", "territories"),
    ("forme juridique", "legal_form"),
]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """One good build, made once; each test gets its own copy (mtimes kept)."""
    root = tmp_path_factory.mktemp("good")
    content = SiteFactory(root)(GOOD)
    output = root / "output"
    assert run_cli("--content", content, "--output", output).status == 0
    return output


@pytest.fixture
def previous_output(tmp_path, good_build):
    """A good build already in place, as CI leaves it after the last green run."""
    output = tmp_path / "output"
    shutil.copytree(good_build, output)
    return output


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_nothing_is_written(make_site, previous_output, files, expected):
    before = tree_snapshot(previous_output)
    content = make_site(GOOD | files)

    result = run_cli("--content", content, "--output", previous_output)

    assert result.status == 1, result.stdout + result.stderr
    for fragment in expected:
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert "rien n'a été écrit" in result.stderr
    assert tree_snapshot(previous_output) == before


def test_every_problem_of_every_file_is_reported_in_one_run(make_site, tmp_path):
    content = make_site(
        {
            "a.yaml": "id: abc\nname: A\n",
            "b.yaml": "id: 3\nname: B\nteritories: []\nwebsite: www.b.fr\n",
            "c.md": "---\nid: 4\n",
        }
    )
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert result.stderr.count("\n    conseil : ") >= 4
    assert "4 problèmes trouvés" in result.stderr
    for fragment in ("a.yaml:1:", "b.yaml:3:", "b.yaml:4:", "c.md:3:"):
        assert fragment in result.stderr


def test_bom_and_crlf_are_accepted(make_site, tmp_path):
    content = make_site(
        {
            "win.yaml": "\ufeffid: 5\r\nname: Fenêtre\r\nterritories:\r\n  - Bretagne\r\n".encode(),
            "win.md": "\ufeff---\r\nid: 6\r\nname: Porte\r\n---\r\nTexte **gras**.\r\n".encode(),
        }
    )
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 0, result.stderr
    page = (tmp_path / "out" / "acteurs" / "porte" / "index.html").read_text()
    assert "<strong>gras</strong>" in page


def test_editors_backup_and_swap_files_are_not_read(make_site, tmp_path):
    # Emacs leaves a.yaml~ (the file before the save: same id, so read it would clash),
    # vim .a.yaml.swp; neither is an actor file, nor a mistake of the editor's.
    content = make_site({"a.yaml": VALID_ACTOR})
    (content / "actors" / "a.yaml~").write_text(VALID_ACTOR.replace("Exemple", "Ancien"))
    (content / "actors" / ".a.yaml.swp").write_bytes(b"\x00binary")
    result = run_cli("--content", content, "--output", tmp_path / "out")
    assert result.status == 0, result.stderr
    assert "a.yaml~" not in result.stderr
    assert "Ancien" not in (tmp_path / "out" / "index.html").read_text()
    (content / "actors" / "b.yaml~").write_text("not even YAML: [")  # another one comes
    again = run_cli("--content", content, "--output", tmp_path / "out")
    assert again.status == 0 and "À jour" in again.stdout, again.stdout + again.stderr


def test_editors_leftovers_among_the_templates_are_neither_published_nor_inputs(
    make_site, tmp_path
):
    content = make_site({"a.yaml": VALID_ACTOR})
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    options = ("--content", content, "--templates", templates, "--output", tmp_path / "out")
    assert run_cli(*options).status == 0
    (templates / "static" / "style.css~").write_text("body { color: red }")
    (templates / ".base.html.swp").write_bytes(b"\x00swap")
    again = run_cli(*options)
    assert again.status == 0 and "À jour" in again.stdout, again.stdout + again.stderr
    fresh = run_cli(*options[:-1], tmp_path / "fresh")  # a whole build, leftovers present
    assert fresh.status == 0, fresh.stderr
    published = [p.name for p in (tmp_path / "fresh" / "assets").iterdir()]
    assert published and not [name for name in published if name.endswith("~")]


def test_verbose_shows_the_traceback_for_developers(make_site):
    content = make_site({"bad.yaml": "id: x\nname: B\n"})
    result = run_cli("check", "--content", content, "--verbose")
    assert result.status == 1
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--content", "/nonexistent/folder"], ["--base-url", "example.org"], ["--bogus"]],
)
def test_usage_errors_exit_with_status_2(args):
    result = run_cli(*args)
    assert result.status == 2
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr  # argparse's own word, before any language is chosen


@pytest.mark.parametrize(("written", "meant"), FRENCH_KEYS)
def test_a_key_written_in_french_gets_its_english_name(make_site, written, meant):
    content = make_site(GOOD | {"bad.yaml": f"id: 2\nname: B\n{written}: x\n"})
    result = run_cli("check", "--content", content)
    assert result.status == 1
    assert f"bad.yaml:3: clé inconnue « {written} »" in result.stderr
    assert f"Vouliez-vous écrire « {meant} » ?" in result.stderr


# A sample of the cases above, in English with --lang en
ENGLISH = {
    "unknown-key": ["bad.yaml:3: unknown key 'teritories'", "Did you mean 'territories'?"],
    "phone-read-as-a-number": [
        "bad.yaml:3: phone: expected text, found '0561000000', which YAML reads as a number",
        'Write instead: phone: "05 61 00 00 00"',
    ],
    "yaml-colon-without-space": ["bad.yaml:3:5: a space is missing after the colon of 'city:'"],
    "front-matter-unclosed": ["bad.md:4: the en-tête opened by `---` on line 1 is never closed"],
    "duplicate-id": ["zzz.yaml:1: id 1 is already used by", "the next free id: id: 2"],
}


@pytest.mark.parametrize("case", sorted(ENGLISH))
def test_lang_en_gives_the_messages_in_english(make_site, case):
    files = next(c[1] for c in CASES if c[0] == case)
    content = make_site(GOOD | files)
    result = run_cli("check", "--content", content, "--lang", "en")
    assert result.status == 1
    for fragment in ENGLISH[case]:
        assert fragment in result.stderr
    assert "1 problem found; nothing was written." in result.stderr


def test_the_site_language_setting_chooses_the_language_of_the_messages(make_site):
    content = make_site(GOOD | {"bad.yaml": "id: 2\nname: B\nville: x\n"}, "language: fr\n")
    assert "clé inconnue « ville »" in run_cli("check", "--content", content).stderr
    english = run_cli("check", "--content", content, "--lang", "en")
    assert "unknown key 'ville'" in english.stderr


_QUOTED = re.compile(r"« (.+?) »")


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_messages_quote_only_what_the_file_holds(make_site, files, expected):
    """Every value a message quotes between « » is text of the file (or a word of the
    messages themselves: a key, `---`): never a value YAML made of it (96731136, False)."""
    content = make_site(GOOD | files)
    result = run_cli("check", "--content", content, "--format", "json")
    written = "".join(t if isinstance(t, str) else t.decode("latin-1") for t in files.values())
    for problem in json.loads(result.stdout):
        for quoted in _QUOTED.findall(problem["message"]):
            assert quoted in written + VALID_ACTOR or quoted in _own_words(), (quoted, problem)


@functools.cache
def _own_words() -> set[str]:
    """What the messages quote of their own: the keys, and the words of the catalog
    (« --- », « clé: valeur »)."""
    with (ROOT / "site_gen/locale/fr/LC_MESSAGES/site_gen.po").open("rb") as file:
        catalog = read_po(file)
    words = {f.name for f in ACTOR_FIELDS} | {f.name for s in ACTOR_FIELDS for f in s.fields}
    for message in catalog:
        for text in message.string if isinstance(message.string, tuple) else [message.string]:
            words.update(q for q in _QUOTED.findall(text) if "{" not in q)
    return words
