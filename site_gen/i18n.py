"""The language of every message an editor reads: gettext catalogs, French by default.

Messages are written in English in the code, wrapped in `_()` or `ngettext()` where they are
made; site_gen/locale/<language>/LC_MESSAGES/site_gen.po holds their translations (Babel
extracts and compiles them: `make messages`). The compiled .mo is made by `make`; a checkout
run without it, or with a .po edited since, compiles the .po in memory instead, so a message
is never shown in a stale translation. English is the messages as written.

The language is chosen once per process (`activate`) and passed to worker processes through
the environment, so a spawned worker speaks as its parent does.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

DOMAIN = "site_gen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_ENVIRONMENT = "SITE_GEN_LANG"


def language() -> str:
    """The language messages are made in now."""
    chosen = os.environ.get(_ENVIRONMENT, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def activate(chosen: str) -> None:
    """Make every message from now on (in this process and the workers it starts) in
    `chosen`, one of LANGUAGES."""
    if chosen not in LANGUAGES:
        raise ValueError(chosen)
    os.environ[_ENVIRONMENT] = chosen


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` things, in the current language."""
    return translations(language()).ngettext(singular, plural, count)


def number(count: int) -> str:
    """1,200,023 in English, 1 200 023 in French (a narrow no-break space)."""
    text = f"{count:,}"
    return text.replace(",", "\u202f") if language() == "fr" else text


@cache
def translations(chosen: str) -> gettext.NullTranslations:
    """The catalog of `chosen`; English, the language of the code, needs none."""
    po = LOCALE_DIR / chosen / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    return gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))


def compile_catalog(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel's compiler, as `pybabel compile` runs it)."""
    from babel.messages.mofile import write_mo  # only when no fresh .mo is at hand
    from babel.messages.pofile import read_po

    with po.open("rb") as file:
        catalog = read_po(file)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()
