"""Every editor mistake of the catalogue issue: a clear `file:line: message`, exit status 1,
no traceback, and the previous output left exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, VALID_ACTOR, SiteFactory, run_cli, tree_snapshot

GOOD = {"good.yaml": VALID_ACTOR}

# (case id, files to add beside a valid actor, expected fragments of the error output)
CASES = [
    (
        "yaml-tab",
        {"bad.yaml": "id: 2\nname: B\nclients:\n\t- A\n"},
        ["bad.yaml:4:1: YAML syntax error", "indent with spaces"],
    ),
    (
        "yaml-indentation",
        {"bad.yaml": "id: 2\nname: B\n  summary: x\n"},
        ["bad.yaml:3:10: YAML syntax error: mapping values are not allowed"],
    ),
    (
        "not-utf8",
        {"bad.yaml": "id: 2\nname: Cit\xe9\n".encode("latin-1")},
        ["bad.yaml:2: the file is not UTF-8 text", "UTF-8"],
    ),
    (
        "front-matter-unclosed",
        {"bad.md": "---\nid: 2\nname: B\n\nTexte.\n"},
        ["bad.md:1: the front matter opened by `---` on line 1 is never closed"],
    ),
    (
        "md-without-front-matter",
        {"bad.md": "# Titre\n"},
        ["bad.md:1: a .md actor file must start with a line `---`"],
    ),
    (
        "top-level-list",
        {"bad.yaml": "- id: 2\n- name: B\n"},
        ["bad.yaml:1: expected keys such as `id:` and `name:`, found a list"],
    ),
    (
        "top-level-text",
        {"bad.yaml": "just some words\n"},
        ["bad.yaml:1: expected keys such as `id:` and `name:`, found the text"],
    ),
    ("empty-file", {"bad.yaml": ""}, ["bad.yaml:1: the file is empty"]),
    ("missing-id", {"bad.yaml": "name: B\n"}, ["bad.yaml:1: missing required key 'id'"]),
    ("missing-name", {"bad.yaml": "id: 2\n"}, ["bad.yaml:1: missing required key 'name'"]),
    (
        "id-not-a-number",
        {"bad.yaml": "name: B\nid: abc\n"},
        ["bad.yaml:2: id: expected a positive whole number, found the text 'abc'"],
    ),
    (
        "id-negative",
        {"bad.yaml": "id: -4\nname: B\n"},
        ["bad.yaml:1: id: expected a positive whole number, found the number -4"],
    ),
    (
        "clients-not-a-list",
        {"bad.yaml": 'id: 2\nname: B\nclients: "Nîmes"\n'},
        ["bad.yaml:3: clients: expected a list, found the text 'Nîmes'", "'- '"],
    ),
    (
        "service-not-an-entry",
        {"bad.yaml": "id: 2\nname: B\nservices:\n  - Formation\n"},
        ["bad.yaml:4: services[1]: expected an entry with keys (title:, tagline:, description:)"],
    ),
    (
        "service-without-title",
        {"bad.yaml": "id: 2\nname: B\nservices:\n  - tagline: x\n"},
        ["bad.yaml:4: missing required key 'title' in services[1]"],
    ),
    (
        "unknown-key",
        {"bad.yaml": "id: 2\nname: B\nteritories: [Occitanie]\n"},
        ["bad.yaml:3: unknown key 'teritories'", "Did you mean 'territories'?"],
    ),
    (
        "unknown-nested-key",
        {"bad.yaml": "id: 2\nname: B\nexperiences:\n  - client: A\n    titel: x\n"},
        ["bad.yaml:5: unknown key 'titel' in experiences[1]", "Did you mean 'title'?"],
    ),
    (
        "unknown-territory",
        {"bad.yaml": "id: 2\nname: B\nterritories:\n  - Ocitanie\n"},
        [
            "bad.yaml:4: territories[1]: 'Ocitanie' is not in the territories vocabulary",
            "Did you mean 'Occitanie'?",
        ],
    ),
    (
        "unknown-context",
        {"bad.yaml": "id: 2\nname: B\ncontexts: [Urbanism]\n"},
        [
            "bad.yaml:3: contexts[1]: 'Urbanism' is not in the contexts vocabulary",
            "Did you mean 'Urbanisme et aménagement'?",
        ],
    ),
    (
        "term-listed-twice",
        {"bad.yaml": "id: 2\nname: B\nterritories:\n  - Corse\n  - Bretagne\n  - Corse\n"},
        ["bad.yaml:6: territories[3]: 'Corse' is already listed (item 1)", "listed once"],
    ),
    (
        "duplicate-id",
        {"bad.yaml": "id: 1\nname: Autre\n"},
        ["bad.yaml:1", "good.yaml:1", "id 1 is already used by"],
    ),
    (
        "duplicate-slug",
        {"bad.yaml": "id: 2\nname: Deux\nslug: exemple\n"},
        ["bad.yaml:3", "good.yaml:2", "slug 'exemple' is already used by"],
    ),
    (
        "javascript-url",
        {"bad.yaml": 'id: 2\nname: B\nwebsite: "javascript:alert(1)"\n'},
        ["bad.yaml:3: website: 'javascript:alert(1)' is not a web address"],
    ),
    (
        "ftp-url",
        {"bad.yaml": "id: 2\nname: B\nwebsite: ftp://exemple.fr\n"},
        ["bad.yaml:3: website: 'ftp://exemple.fr' is not a web address"],
    ),
    (
        "bad-email",
        {"bad.yaml": "id: 2\nname: B\nemail: contact@exemple\n"},
        ["bad.yaml:3: email: 'contact@exemple' is not an e-mail address"],
    ),
    ("empty-name", {"bad.yaml": 'id: 2\nname: "  "\n'}, ["bad.yaml:2: name: must not be empty"]),
    (
        "unsafe-slug-dotdot",
        {"bad.yaml": "id: 2\nname: B\nslug: ../x\n"},
        ["bad.yaml:3: slug: '../x' is not a valid slug"],
    ),
    (
        "unsafe-slug-absolute",
        {"bad.yaml": "id: 2\nname: B\nslug: /etc\n"},
        ["bad.yaml:3: slug: '/etc' is not a valid slug"],
    ),
    (
        "python-tag",
        {"bad.yaml": "id: 2\nname: B\nabout: !!python/object/apply:os.system [ls]\n"},
        ["bad.yaml:3:8: YAML tag '!!python/object/apply:os.system' is not allowed"],
    ),
    (
        "alias-bomb",
        {"bad.yaml": "id: 2\nname: &n B\nsummary: *n\n"},
        ["bad.yaml:3: YAML aliases (*name) are not allowed"],
    ),
    (
        "too-big",
        {"bad.yaml": "id: 2\nname: B\nabout: |\n" + "  x\n" * 300_000},
        ["bad.yaml: the file is 1,200,023 bytes; the limit is 1,000,000"],
    ),
    (
        "commons-not-boolean",
        {"bad.yaml": "id: 2\nname: B\ncommons: Non\n"},
        ["bad.yaml:3: commons: expected true or false, found the text 'Non'"],
    ),
    (
        "bad-date",
        {"bad.yaml": "id: 2\nname: B\nupdated: 2026-13-01\n"},
        ["bad.yaml:3:10: updated: invalid value '2026-13-01'", "YYYY-MM-DD"],
    ),
    (
        "date-as-text",
        {"bad.yaml": "id: 2\nname: B\nupdated: hier\n"},
        ["bad.yaml:3: updated: expected a date written YYYY-MM-DD"],
    ),
    (
        "summary-too-long",
        {"bad.yaml": "id: 2\nname: B\nsummary: " + "x" * 301 + "\n"},
        ["bad.yaml:3: summary: is 301 characters long; the limit is 300"],
    ),
    (
        "duplicate-key",
        {"bad.yaml": "id: 2\nname: B\nname: C\n"},
        ["bad.yaml:3:1: key 'name' appears twice (first on line 2)"],
    ),
    (
        "about-twice",
        {"bad.md": "---\nid: 2\nname: B\nabout: x\n---\nTexte\n"},
        ["bad.md:6: `about` is given twice"],
    ),
    (
        "client-without-letters",
        {"bad.yaml": "id: 2\nname: B\nclients:\n  - A\n  - '...'\n"},
        ["bad.yaml:5: clients[2]: '...' is not a name"],
    ),
    (
        "experience-client-without-letters",
        {"bad.yaml": "id: 2\nname: B\nexperiences:\n  - client: '—'\n"},
        ["bad.yaml:4: experiences[1].client: '—' is not a name"],
    ),
    (
        "not-an-actor-file",
        {"notes.txt": "hello\n"},
        ["notes.txt: not an actor file", ".yaml or .md"],
    ),
    # --- hardening, round two (issue 22) ---
    (
        "markdown-nested-quotes",
        {"bad.yaml": "id: 2\nname: B\nabout: |\n  " + "> " * 400_000 + "x\n"},
        ["bad.yaml:3: about: nests 400,000 block quotes, lists or HTML elements; the limit is 100"],
    ),
    (
        "markdown-nested-html",
        {"bad.md": "---\nid: 2\nname: B\n---\n\n" + "<div>" * 190_000 + "x\n"},
        ["bad.md:6: about: nests 190,000 block quotes, lists or HTML elements; the limit is 100"],
    ),
    (
        "control-character-c0",
        {"bad.yaml": 'id: 2\nname: B\nsummary: "Un \\x07 acteur"\n'},
        ["bad.yaml:3: summary: holds the invisible character U+0007 (character 4 of the text)"],
    ),
    (
        "control-character-c1-in-a-service",
        {"bad.yaml": 'id: 2\nname: B\nservices:\n  - title: "Atelier\\x9b"\n'},
        ["bad.yaml:4: title: holds the invisible character U+009B (character 8 of the text)"],
    ),
    (
        "noncharacter-in-a-md-body",
        {"bad.md": "---\nid: 2\nname: B\n---\nTexte \ufdd0.\n"},
        ["bad.md:5: about: holds the invisible character U+FDD0 (character 7 of the text)"],
    ),
    (
        "raw-control-character",
        {"bad.yaml": "id: 2\nname: B\nsummary: Un \x07 acteur\n"},
        ["bad.yaml:3: the file holds the control character U+0007, which YAML does not allow"],
    ),
    (
        "slug-too-long",
        {"bad.yaml": "id: 2\nname: B\nslug: " + "a" * 150 + "\n"},
        ["bad.yaml:3: slug: is 150 characters long; the limit is 100"],
    ),
    (
        "slug-from-a-long-name",
        {"bad.yaml": "id: 2\nname: " + "Association " * 30 + "\n"},
        [
            "bad.yaml:2: the address made from this name is 359 characters long; the limit "
            "is 100\n    hint: Add a shorter `slug:` key, e.g. slug: mon-acteur"
        ],
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
            [
                f"bad.yaml:1: id: expected a whole number in plain digits, found '{written}'\n"
                "    hint: Write it with the digits 0-9 only, for example: id: 293"
            ],
        )
        for name, written in (
            ("hexadecimal", "0x1389"),
            ("underscore", "5_001"),
            ("base-60", "1:23:21"),
            ("octal", "0445"),
        )
    ],
    (
        "id-too-large",
        {"bad.yaml": f"id: {2**53 + 1}\nname: B\n"},
        ["bad.yaml:1: id: 9007199254740993 is too large; the limit is 1,000,000,000"],
    ),
    (
        "number-as-text-quoted-as-written",
        {"bad.yaml": "id: 2\nname: 0445\n"},
        [
            "bad.yaml:2: name: expected text, found the number 0445\n    hint: Put the value "
            'in quotes, for example: name: "0445"'
        ],
    ),
    (
        "nul-byte-on-its-line",
        {"bad.yaml": b"id: 2\nname: B\nsummary: a\x00b\n"},
        ["bad.yaml:3:11: the file holds a NUL character (an invisible character, byte 0)"],
    ),
    (
        "utf16-without-mark",
        {"bad.yaml": "id: 2\nname: B\n".encode("utf-16-le")},
        ["bad.yaml:1: the file is not UTF-8 text"],
    ),
    (
        "key-that-is-a-list",
        {"bad.yaml": "id: 2\nname: B\n[a, b]: x\n"},
        ["bad.yaml:3:1: a key must be a plain word, not a list\n"],
    ),
    (
        "key-that-is-a-number",
        {"bad.yaml": "id: 2\nname: B\n2024: x\n"},
        ["bad.yaml:3:1: a key must be a plain word, not '2024'\n"],
    ),
    (
        "merge-key",
        {"bad.yaml": "id: 2\nname: B\n<<: {summary: x}\n"},
        [
            "bad.yaml:3:1: YAML merge keys (<<) are not allowed\n    hint: Write the keys "
            "out in full in this entry instead of merging in another."
        ],
    ),
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
    assert "nothing was written" in result.stderr
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
    assert result.stderr.count("\n    hint:") >= 4
    assert "4 problem(s) found" in result.stderr
    for fragment in ("a.yaml:1:", "b.yaml:3:", "b.yaml:4:", "c.md:1:"):
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
    assert again.status == 0 and "Up to date" in again.stdout, again.stdout + again.stderr


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
    assert again.status == 0 and "Up to date" in again.stdout, again.stdout + again.stderr
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
    assert "error:" in result.stderr
