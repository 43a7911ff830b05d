"""The texts of the pages a public service owes (À propos, Proposer une fiche, Mentions
légales, Déclaration d'accessibilité): one Markdown file each in content/pages/, all
optional; any other file there is a mistake."""

from __future__ import annotations

from pathlib import Path

from site_gen.content.contentfile import read_text
from site_gen.errors import Problem, display_path
from site_gen.text import nearest

PAGES_DIR = "pages"
NAMES = ("a-propos", "proposer", "mentions-legales", "accessibilite")


def load_info_texts(content_dir: Path, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """(name, Markdown) of each page's file that exists, in the order of NAMES."""
    folder = content_dir / PAGES_DIR
    if not folder.is_dir():
        return ()
    found = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.endswith("~"):
            continue  # an editor's leftovers
        name = path.stem if path.suffix == ".md" else ""
        if name not in NAMES:
            guess = nearest(path.stem, list(NAMES))
            hint = (
                f"Did you mean {guess}.md?"
                if guess
                else "Known files: " + ", ".join(f"{n}.md" for n in NAMES)
            )
            problems.append(Problem(display_path(path), None, "not a page of the site", hint))
            continue
        text = read_text(path, content_dir, problems)
        if text is not None:
            found[name] = text
    return tuple((name, found[name]) for name in NAMES if name in found)
