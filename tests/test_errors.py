from site_gen.errors import ContentError, Problem


def test_problems_are_listed_by_file_then_line_even_without_a_line():
    error = ContentError(
        [
            Problem("b.yaml", 2, "late"),
            Problem("a.yaml", 3, "third"),
            Problem("a.yaml", None, "whole file"),
            Problem("a.yaml", 1, "first", column=4),
        ]
    )
    assert [p.message for p in error.problems] == ["whole file", "first", "third", "late"]
