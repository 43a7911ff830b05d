"""Write site_gen/data/regions.json, the simplified outlines of France's 18 regions that
the home page's map is drawn from (site_gen/regions_map.py), from the SVG map of the 27
regions before 2016 that the `pygal_maps_fr` package ships (LGPL v3+, © Kozea), old
regions merged into the new ones.

Run once, by hand, when the outlines should change (not by the build, which only reads
the JSON file); it needs, in any virtual environment:
    pip install pygal_maps_fr shapely svgelements
    python scripts/make_regions.py
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import svgelements
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

# The new regions (their slugs in content/vocabularies.yaml), of the old regions' codes.
MERGED = {
    "auvergne-rhone-alpes": ("83", "82"),
    "bourgogne-franche-comte": ("26", "43"),
    "bretagne": ("53",),
    "centre-val-de-loire": ("24",),
    "corse": ("94",),
    "grand-est": ("42", "21", "41"),
    "hauts-de-france": ("31", "22"),
    "ile-de-france": ("11",),
    "normandie": ("25", "23"),
    "nouvelle-aquitaine": ("72", "74", "54"),
    "occitanie": ("91", "73"),
    "pays-de-la-loire": ("52",),
    "provence-alpes-cote-d-azur": ("93",),
    "guadeloupe": ("01",),
    "martinique": ("02",),
    "guyane": ("03",),
    "la-reunion": ("04",),
    "mayotte": ("06",),
}
LABELS = {
    "auvergne-rhone-alpes": "Auvergne-Rhône-Alpes",
    "bourgogne-franche-comte": "Bourgogne-Franche-Comté",
    "bretagne": "Bretagne",
    "centre-val-de-loire": "Centre-Val de Loire",
    "corse": "Corse",
    "grand-est": "Grand Est",
    "hauts-de-france": "Hauts-de-France",
    "ile-de-france": "Île-de-France",
    "normandie": "Normandie",
    "nouvelle-aquitaine": "Nouvelle-Aquitaine",
    "occitanie": "Occitanie",
    "pays-de-la-loire": "Pays de la Loire",
    "provence-alpes-cote-d-azur": "Provence-Alpes-Côte d'Azur",
    "guadeloupe": "Guadeloupe",
    "martinique": "Martinique",
    "guyane": "Guyane",
    "la-reunion": "La Réunion",
    "mayotte": "Mayotte",
}
OVERSEAS = {"guadeloupe", "martinique", "guyane", "la-reunion", "mayotte"}
SCALE = 0.3  # the source's 2000 units wide → 600
TOLERANCE = 1.2  # in the output's units: below what a screen shows at its size
OUT = Path(__file__).resolve().parent.parent / "site_gen" / "data" / "regions.json"


def old_regions() -> dict[str, Polygon | MultiPolygon]:
    svg = resources.files("pygal_maps_fr").joinpath("fr.regions.svg").read_text()
    root = ET.fromstring(svg)
    shapes = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if "region" not in (group.get("class") or "").split():
            continue
        dx, dy = _offset(root, group)
        code = group.get("class").split()[0][1:]
        rings = []
        for element in group.iter("{http://www.w3.org/2000/svg}path"):
            path = svgelements.Path(element.get("d"))
            for sub in path.as_subpaths():
                points = []
                for segment in sub:
                    if isinstance(segment, svgelements.Move):
                        continue
                    steps = 1 if isinstance(segment, svgelements.Line | svgelements.Close) else 6
                    points += [segment.point(i / steps) for i in range(1, steps + 1)]
                if len(points) >= 3:
                    rings.append(
                        Polygon([((p.x + dx) * SCALE, (p.y + dy) * SCALE) for p in points]).buffer(
                            0
                        )
                    )
        shapes[code] = unary_union(rings)
    return shapes


def _offset(root: ET.Element, group: ET.Element) -> tuple[float, float]:
    """The sum of the translations of the groups holding `group` (the only transforms)."""
    parents = {child: parent for parent in root.iter() for child in parent}
    dx = dy = 0.0
    node = group
    while node is not None:
        if transform := node.get("transform"):
            x, y = map(float, re.findall(r"-?[\d.]+", transform))
            dx, dy = dx + x, dy + y
        node = parents.get(node)
    return dx, dy


def path_data(shape: Polygon | MultiPolygon) -> str:
    polygons = shape.geoms if isinstance(shape, MultiPolygon) else [shape]
    parts = []
    for polygon in polygons:
        if polygon.area < 2:  # specks of islands nobody could click
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = [(round(x), round(y)) for x, y in ring.coords[:-1]]
            coords = [c for i, c in enumerate(coords) if c != coords[i - 1]]
            first, *rest = coords
            moves = [f"M{first[0]} {first[1]}"]
            last = first
            for x, y in rest:
                moves.append(f"l{x - last[0]} {y - last[1]}")
                last = (x, y)
            parts.append("".join(moves) + "z")
    return "".join(parts)


def main() -> None:
    shapes = old_regions()
    regions = {}
    for slug, codes in MERGED.items():
        merged = unary_union([shapes[c].buffer(0.6) for c in codes]).buffer(-0.6)
        simple = merged.simplify(TOLERANCE, preserve_topology=True)
        regions[slug] = {
            "d": path_data(simple),
            "overseas": slug in OVERSEAS,
            "label": LABELS[slug],
        }
    data = {
        "source": "pygal_maps_fr 1.1.0 (fr.regions.svg), LGPL v3+, © Kozea; régions fusionnées",
        "viewBox": "0 0 600 570",
        "regions": regions,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
