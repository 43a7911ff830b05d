"""Recognise a build that would change nothing, without reading any content.

A build's inputs are summed up by the size and modification time of every file it reads
(content, templates, our own code) plus the options and dependency versions; its output by
the same facts about every file it wrote. When both match the record of the last build, the
site on disk is exactly what a new build would write, so the build can stop there.
Standard library only: this check runs before the heavy modules are even imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = (
    "jinja2",
    "pyyaml",
    "cmarkgfm",
    "nh3",
    "python-slugify",
    "pagefind",
    "pagefind_bin_extended",
)
RECORD_FILE = "builds.json"
_CODE = Path(__file__).resolve().parent


def _tree(folder: Path) -> list[tuple[str, int, int]]:
    entries = []
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            entries.append((os.path.relpath(path, folder), info.st_size, info.st_mtime_ns))
    return entries


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _versions() -> list[str]:
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}: none")
    return found


def inputs(content: Path, templates: Path, options: dict) -> str:
    """One hash of everything a build reads and everything that decides how it reads it."""
    return _digest(
        {
            "content": _tree(content),
            "templates": _tree(templates),
            "code": _tree(_CODE),
            "options": options,
            "python": sys.version,
            "packages": _versions(),
        }
    )


def outputs(output: Path) -> str:
    """One hash of the files of a built site (names, sizes, modification times)."""
    return _digest(_tree(output))


class BuildRecord:
    """What the last build of each output folder read and wrote (in the cache folder)."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / RECORD_FILE if cache_dir else None

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError, AttributeError):
            return {}  # missing or damaged: the build simply runs

    def up_to_date(self, output: Path, input_hash: str) -> dict | None:
        """The summary of the last build if nothing it read or wrote has changed since."""
        if self.path is None or not output.is_dir():
            return None
        entry = self._load().get(str(output.resolve()))
        if (
            isinstance(entry, dict)
            and entry.get("inputs") == input_hash
            and entry.get("outputs") == outputs(output)
        ):
            return entry.get("summary")
        return None

    def remember(self, output: Path, input_hash: str, summary: dict) -> None:
        if self.path is None:
            return
        data = self._load()
        data[str(output.resolve())] = {
            "inputs": input_hash,
            "outputs": outputs(output),
            "summary": summary,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # no record: the next build just does the work
