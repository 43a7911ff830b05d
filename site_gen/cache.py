"""A content-addressed store for expensive build products, kept between builds (.cache/).

Entries are folders named by the hash of everything that produced them, written aside and
renamed into place, so a killed build never leaves a half entry, and a damaged one is
ignored. Deleting the folder only costs time: the next build makes the same entries again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def key_of(*parts: Any) -> str:
    """A stable hash of JSON-serialisable inputs."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FileStore:
    """Sets of files (relative path → bytes) stored under a key, with a checksum manifest."""

    def __init__(self, root: Path | None, namespace: str):
        self.folder = root / namespace if root is not None else None

    def get(self, key: str) -> dict[str, bytes] | None:
        if self.folder is None:
            return None
        entry = self.folder / key
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
            files = {}
            for name, digest in manifest.items():
                path = (entry / name).resolve()
                if not path.is_relative_to(entry.resolve()):
                    return None
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != digest:
                    return None
                files[name] = data
            return files
        except (OSError, ValueError, AttributeError):
            return None  # missing, damaged or foreign: rebuilt, never trusted

    def put(self, key: str, files: dict[str, bytes]) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder))
            for name, data in files.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            manifest = {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}
            (staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), "utf-8")
            entry = self.folder / key
            if entry.exists():
                shutil.rmtree(entry, ignore_errors=True)
            os.replace(staging, entry)
            self._prune(keep=entry)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _prune(self, keep: Path, entries: int = 4) -> None:
        """Keep the few most recent entries: the cache must not grow without bound."""
        folders = [p for p in self.folder.iterdir() if p != keep and p.is_dir()]
        for leftover in (p for p in folders if p.name.startswith(".tmp-")):
            shutil.rmtree(leftover, ignore_errors=True)  # from builds killed mid-write
        others = sorted(
            (p for p in folders if not p.name.startswith(".tmp-")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in others[entries - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
