from site_gen.content.yamlfile import parse


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
    assert "appears twice (first on line 1)" in issues[0].message


def test_tab_indentation_gets_a_hint_about_spaces():
    doc, issues = parse("name: A\nservices:\n\t- title: x\n")
    assert doc is None
    assert issues[0].line == 3
    assert "tab" in issues[0].hint


def test_unquoted_colon_gets_a_quoting_hint():
    _, issues = parse("summary: Ville : projet: test\n")
    assert issues[0].line == 1
    assert "quoted" in issues[0].hint
