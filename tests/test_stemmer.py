"""The search page's French stemmer (templates/static/stemmer-fr.js) stems as PyPI's
snowballstemmer does: both are Snowball's French algorithm, compared on the words of
tests/data/stems-fr.json (scripts/stem_table.py writes it from the Python side)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
import snowballstemmer

from .conftest import ROOT

TABLE = ROOT / "tests/data/stems-fr.json"
STEMMER = ROOT / "templates/static/stemmer-fr.js"


def table() -> dict[str, str]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def test_the_table_holds_what_snowballstemmer_gives_for_the_words_readers_type():
    stems = table()
    assert len(stems) >= 300
    # the word forms the search must bring together
    assert {stems[w] for w in ("participer", "participation", "participants")} == {"particip"}
    stemmer = snowballstemmer.stemmer("french")
    wrong = {word: stem for word, stem in stems.items() if stemmer.stemWord(word) != stem}
    assert not wrong, "snowballstemmer changed: run scripts/stem_table.py, update stemmer-fr.js"


def test_the_pages_stemmer_gives_the_same_stems(tmp_path):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node not found: CI must compare the page's stemmer")
        pytest.skip("node not found")
    module = tmp_path / "stemmer-fr.mjs"  # .mjs: an ES module whatever package.json says
    shutil.copyfile(STEMMER, module)
    script = (
        f"import FrenchStemmer from {json.dumps(module.as_uri())};\n"
        "import { readFileSync } from 'node:fs';\n"
        f"const table = JSON.parse(readFileSync({json.dumps(str(TABLE))}, 'utf8'));\n"
        "const stemmer = new FrenchStemmer();\n"
        "const wrong = Object.entries(table).filter(([w, s]) => stemmer.stemWord(w) !== s);\n"
        "console.log(JSON.stringify(wrong.map(([w]) => [w, stemmer.stemWord(w)])));\n"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
