"""A new kind of page is right on its first edit rebuild with no code beyond the page itself:
what its group reads is recorded while it is planned (pages/planner.py), so an edit that
changes what it read plans it again. Here two kinds are added to the planner for the test
only: one that reads the catalogue whole (every city), one that reads counts (facts)."""

from __future__ import annotations

import shutil

import pytest

from site_gen.build.pipeline import BuildOptions, build
from site_gen.pages import planner
from site_gen.pages.views import Page

from .conftest import SAMPLE_CONTENT
from .test_incremental import contents, replace_in


def cities(self) -> list[Page]:
    """Every city of the catalogue, read whole."""
    found = sorted({actor.city for actor in self.catalogue.actors if actor.city})
    return [Page("villes.txt", None, "", data="\n".join(found).encode(), in_sitemap=False)]


def counts(self) -> list[Page]:
    """The number of actors of each territory, read as facts."""
    lines = [f"{t.label}: {self.count(t)}" for t in self.vocabularies.territories]
    return [Page("comptes.txt", None, "", data="\n".join(lines).encode(), in_sitemap=False)]


@pytest.fixture
def new_kinds(monkeypatch):
    groups = planner.PagePlanner.groups

    def with_new_kinds(self):
        made = groups(self)
        made[("cities",)] = lambda: cities(self)
        made[("counts",)] = lambda: counts(self)
        return made

    monkeypatch.setattr(planner.PagePlanner, "groups", with_new_kinds)


def test_a_new_page_kind_is_right_on_its_first_edit_rebuild(new_kinds, tmp_path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content, output, cache_dir=tmp_path / ".cache", workers=1)
    build(options)
    assert b"Montpellier" in (output / "villes.txt").read_bytes()
    civilab = content / "actors" / "civilab.yaml"
    edits = [
        ("city: Montpellier", "city: Sète"),  # a text of one actor: no listing changes
        ("territories:\n", "territories:\n  - Grand Est\n"),  # a count changes
    ]
    for number, (old, new) in enumerate(edits):
        replace_in(civilab, old, new)
        report = build(options)
        assert report.rendered < 50, f"edit {number}: not an edit rebuild"
        clean = tmp_path / f"clean-{number}"
        fresh = BuildOptions(content, clean / "out", cache_dir=clean / ".cache", workers=1)
        build(fresh)
        assert contents(output) == contents(clean / "out"), f"edit {number}"
    assert b"S\xc3\xa8te" in (output / "villes.txt").read_bytes()
    assert b"Montpellier" not in (output / "villes.txt").read_bytes()
