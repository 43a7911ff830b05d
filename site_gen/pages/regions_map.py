"""The map of France's regions the home page and the territory pages show: the outlines
of site_gen/data/regions.json (made by scripts/make_regions.py from pygal_maps_fr, LGPL),
each region of the vocabulary a link shaded by its number of actors, the territories
that are no region (National, International…) as tiles beside it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from site_gen.content.model import Term

SHADES = 5  # 0 actors, then four steps up to the most
CREDIT = "Contours des régions : pygal_maps_fr (Kozea), licence LGPL v3 ou ultérieure, simplifiés."


@dataclass(frozen=True)
class MapRegion:
    label: str
    url: str  # "" when the vocabulary has no such territory
    path: str  # SVG path data
    count: int
    shade: int  # 0 … SHADES - 1; -1 on a locator map (no counts)
    current: bool
    overseas: bool


@dataclass(frozen=True)
class MapTile:
    """A territory the map cannot draw: National, International."""

    label: str
    url: str
    count: int
    current: bool


@dataclass(frozen=True)
class LegendStep:
    shade: int
    low: int
    high: int


@dataclass(frozen=True)
class RegionMap:
    view_box: str
    regions: tuple[MapRegion, ...]
    tiles: tuple[MapTile, ...]
    legend: tuple[LegendStep, ...]  # empty on a locator map
    rows: tuple[MapTile, ...]  # every territory, in the vocabulary's order: the table
    credit: str
    with_counts: bool


@cache
def outlines() -> dict:
    """The outlines file, read once per process."""
    text = resources.files("site_gen").joinpath("data/regions.json").read_text("utf-8")
    return json.loads(text)


def shade_steps(most: int) -> tuple[LegendStep, ...]:
    """The legend: 0, then up to four ranges of equal width from 1 to `most`."""
    steps = [LegendStep(0, 0, 0)]
    if most <= 0:
        return tuple(steps)
    width = -(-most // (SHADES - 1))
    for shade in range(1, SHADES):
        low, high = 1 + (shade - 1) * width, min(most, shade * width)
        if low <= high:
            steps.append(LegendStep(shade, low, high))
    return tuple(steps)


def _shade(count: int, legend: tuple[LegendStep, ...]) -> int:
    return next((s.shade for s in legend if s.low <= count <= s.high), 0)


def region_map(
    territories: tuple[Term, ...],
    count: Callable[[Term], int] | None,
    url: Callable[[Term], str],
    current: Term | None = None,
) -> RegionMap:
    """The map of these territories: with `count` (a term's number of actors) shaded and
    with a legend; without, a locator map (a territory page's: `current` highlighted)."""
    data = outlines()
    by_slug: Mapping[str, Term] = {t.slug: t for t in territories}
    counts = {t.slug: count(t) for t in territories} if count is not None else {}
    drawn = data["regions"]
    legend = shade_steps(max((counts.get(s, 0) for s in drawn), default=0)) if count else ()
    regions = []
    for slug, shape in drawn.items():
        term = by_slug.get(slug)
        n = counts.get(slug, 0)
        regions.append(
            MapRegion(
                term.label if term else shape.get("label", slug),
                url(term) if term else "",
                shape["d"],
                n,
                _shade(n, legend) if count is not None else -1,
                term is not None and term == current,
                shape["overseas"],
            )
        )
    tiles = tuple(
        MapTile(t.label, url(t), counts.get(t.slug, 0), t == current)
        for t in territories
        if t.slug not in drawn
    )
    rows = tuple(MapTile(t.label, url(t), counts.get(t.slug, 0), t == current) for t in territories)
    return RegionMap(
        data["viewBox"],
        tuple(regions),
        tiles,
        legend,
        rows if count is not None else (),
        CREDIT,
        with_counts=count is not None,
    )
