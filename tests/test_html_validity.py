"""The built sample passes the W3C Nu HTML Checker (vnu.jar, from npm's vnu-jar, run on Java)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT


def vnu_jar() -> Path | None:
    candidate = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))
    return candidate if candidate.exists() else None


@pytest.mark.skipif(
    vnu_jar() is None or shutil.which("java") is None,
    reason="Nu HTML Checker not installed: run `npm ci` (needs Java) or set VNU_JAR",
)
def test_sample_pages_have_no_html_errors(sample_site):
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--skip-non-html", str(sample_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
