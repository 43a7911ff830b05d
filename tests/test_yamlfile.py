import pytest

from site_gen import i18n
from site_gen.content.yamlfile import NumberAsWritten, parse


@pytest.fixture(autouse=True)
def english():
    """The words of the parser's messages, in the language of the code."""
    i18n.activate("en")


def test_lines_of_keys_and_items_are_recorded():
    doc, issues = parse("id: 1\nclients:\n  - A\n  - B\n")
    assert issues == []
    assert doc.data == {"id": 1, "clients": ["A", "B"]}
    assert doc.line_of(("clients", 1)) == 4
    assert doc.line_of(("clients", 5, "x")) == 2  # falls back to the nearest known parent


def test_first_line_shifts_every_line_number():
    doc, _ = parse("id: 1\nname: A\n", first_line=2)
    assert doc.line_of(("name",)) == 3


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    doc, issues = parse(f"about: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()
    assert doc.data == {"about": None}
    assert "!!python/object/apply:os.system" in issues[0].message
    assert "not allowed" in issues[0].message


def test_aliases_are_refused_so_nothing_can_expand():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    doc, issues = parse(bomb)
    assert issues and all("aliases" in i.message for i in issues)


def test_duplicate_keys_are_reported_with_both_lines():
    _, issues = parse("name: A\nid: 1\nname: B\n")
    assert issues[0].line == 3
    assert issues[0].message == "the key 'name' appears twice (first on line 1)"


def test_tab_indentation_gets_a_hint_about_spaces():
    doc, issues = parse("name: A\nservices:\n\t- title: x\n")
    assert doc is None
    assert issues[0].line == 3
    assert "tab" in issues[0].hint


def test_unquoted_colon_gets_a_quoting_hint():
    _, issues = parse("summary: Ville : projet: test\n")
    assert issues[0].line == 1
    assert issues[0].column == 16
    assert issues[0].hint == 'Write instead: summary: "Ville : projet: test"'


def test_plain_values_yaml_reads_otherwise_are_kept_as_written():
    doc, _ = parse("phone: 0561000000\ncity: NO\nat: 12:30\nname: Ville\nid: 0x1F\n")
    # YAML 1.1 reads 0561000000 as octal and 0x1F as hexadecimal: kept as written instead
    assert doc.data["phone"] == "0561000000" and isinstance(doc.data["phone"], NumberAsWritten)
    assert doc.data["id"] == "0x1F"
    assert doc.written == {
        ("phone",): "0561000000",
        ("city",): "NO",
        ("at",): "12:30",
        ("id",): "0x1F",
    }


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("id: 1\ncity:Toulouse\nname: A\n", 2, 5, "a space is missing after the colon"),
        ("id: 1\nname: A\n  city: B\n", 3, 3, "indented more than the line above"),
        ('id: 1\nname: "A\ncity: B\n', 2, 7, "the quotes opened here are never closed"),
        ("id: 1\nclients: [A, B\ncity: B\n", 2, 10, "the '[' opened here is never closed"),
        ("id: 1\nclients:\n  - A\n - B\n", 4, 2, "not aligned with the lines above"),
        ("about: |\n    un\n  deux\nid: 1\n", 3, 3, "not aligned with the lines above"),
    ],
)
def test_syntax_errors_point_at_the_fault_itself(text, line, column, message):
    doc, issues = parse(text)
    assert doc is None
    assert (issues[0].line, issues[0].column) == (line, column)
    assert message in issues[0].message
    assert "while" not in issues[0].message and "scanning" not in issues[0].message
