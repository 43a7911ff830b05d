"""The writer, the only code that writes under the output folder: the whole site, atomically.

- Only into a folder that is ours alone, one build at a time: see outputdir.py (the checks
  and the lock).
- Double buffering: the site before the live one is kept beside it as `.NAME.spare`. A build
  turns the spare into the new site by changing only the files that differ, writes the marker
  last and swaps it in by one atomic `renameat2(RENAME_EXCHANGE)` on Linux (renames
  elsewhere, repaired by the next build): a build killed at any moment leaves the previous
  site or the new one, never a mix. The site it replaces becomes the next spare.
- Each tree's manifest (manifest.py) sits beside it (`.NAME.manifest.json`,
  `.NAME.spare.manifest.json`, never inside): every file's digest, inode, size and mtime and
  every folder's inode and mtime, tied to the tree's identity (its folder's inode, its
  marker's inode and mtime). A
  manifest is trusted only for the tree it names, a file only while its inode, size and mtime
  are as recorded, the spare only while its folders are (a file added or removed changes its
  folder's mtime): a tree restored, rebuilt or edited by hand is never trusted. The spare's
  manifest is deleted before the spare is touched, so a build killed meanwhile leaves a spare
  the next build throws away.
- An unchanged file is left as it is or hard-linked from the live site: it keeps its inode and
  mtime. A rebuild writes what changed, and only looks at the rest (one stat per file and per
  folder). Without a trusted spare (a damaged one, the first rebuild) the new site is made in
  an empty spare folder, as every build did before.
- A site built by an older version has no manifest: the first rebuild reads it once to
  learn it.

The writer's other parts have a module each: write_swap (the atomic swap, and the clean-up
after a build killed mid-way), write_stream (the bytes of a file given in chunks, and Spans
copied by the kernel), write_tree (the staged folder's tree, its marker and its manifest) and
write_files (one file placed: left, hard-linked or written). Here: what the build is given,
StagedSite and site_writer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from itertools import accumulate, pairwise
from pathlib import Path

from site_gen.output.folder import check_output_dir, check_spare, output_lock, spare_path
from site_gen.output.manifest import (
    DIGEST_CHARS,
    NEW_FILE,
    READ,
    adopt,
    is_intact,
    manifest_paths,
    take_manifests,
    unlink_if_there,
)
from site_gen.output.stream import _BATCH, _STREAMED, Span, _copy_span, _runs, _write_all
from site_gen.output.swap import _discard, _swap, _swap_manifests, remove_leftovers
from site_gen.output.write_files import StagedFiles, _check, _digest


class StagedSite(StagedFiles):
    """The new site, made in the spare folder one file at a time; only what differs is
    written. Also knows what the folder holds, for its manifest."""

    def add(self, path: str, data: bytes) -> None:
        """Make `path` hold `data`: left as it is if it already does, else hard-linked from
        the live site when the file there has these bytes, else written."""
        _check(path)
        digest = _digest(data)
        if not self._holds(path, digest):
            self._place(path, digest, data)
        self.count += 1

    def add_chunks(self, path: str, chunks: Iterable[bytes | Span]) -> None:
        """`add` for a file too big to hold at once (the exports of a large catalogue):
        written as its chunks come (a Span copied from the live site), hashed, then placed
        like any other. Raises NotAsRecorded if a Span's file changed."""
        _check(path)
        temporary = f"{self.root}/{_STREAMED}"
        unlink_if_there(temporary)
        self.changed.add("")  # the root's entries change, if only for a moment
        hasher = hashlib.sha256()
        sources: dict[str, int] = {}
        fd = os.open(temporary, NEW_FILE, 0o666)
        try:
            try:
                batch: list[bytes] = []
                for chunk in _runs(chunks):
                    if isinstance(chunk, Span):
                        _write_all(fd, batch)
                        batch = []
                        _copy_span(fd, chunk, sources)
                        continue
                    if not sources:  # else hashed from the file, once written
                        hasher.update(chunk)
                    batch.append(chunk)
                    if len(batch) == _BATCH:
                        _write_all(fd, batch)
                        batch = []
                _write_all(fd, batch)
            finally:
                os.close(fd)
                for source in sources.values():
                    os.close(source)
            if sources:
                with os.fdopen(os.open(temporary, READ), "rb") as file:
                    hasher = hashlib.file_digest(file, "sha256")
            digest = hasher.hexdigest()[:DIGEST_CHARS]
            if not self._holds(path, digest):
                self._place(path, digest, streamed=temporary)
        finally:
            unlink_if_there(temporary)
        self.count += 1

    def spans(self, path: str, lengths: Iterable[int]) -> list[Span] | None:
        """The file at `path` in the live site, as Spans of these lengths; None if its
        manifest does not know it, or it is not as recorded or not of that length."""
        found = self._live_file(path)
        if found is None:
            return None
        source, record = found
        starts = list(accumulate(lengths, initial=0))
        if starts[-1] != int(record.split()[2]):
            return None
        return [Span(source, record, start, end - start) for start, end in pairwise(starts)]

    def keep(self, path: str) -> bool:
        """Make `path` hold what it holds in the live site, without its bytes. False when
        the live site's manifest does not know it, or when neither the spare nor the live
        site still has that file as recorded (deleted or edited since): then render it and
        `add` it."""
        live = self.live.get(path)
        if live is None:
            _check(path)  # a mistake of the caller's is said, not hidden
            return False
        digest = live[:DIGEST_CHARS]
        if self._holds(path, digest) or (
            is_intact(f"{self.live_root}/{path}", live) and self._place(path, digest)
        ):
            self.count += 1
            return True
        return False

    def read(self, path: str) -> bytes | None:
        """The bytes of `path` in the live site; None if its manifest does not know it or
        the file is not as recorded (edited or deleted by hand since)."""
        found = self._live_file(path)
        if found is None:
            return None
        try:
            with open(found[0], "rb") as file:
                return file.read()
        except OSError:
            return None

    def _live_file(self, path: str) -> tuple[str, str] | None:
        """The file at `path` in the live site and its manifest entry; None if the
        manifest does not know it or the file is not as recorded."""
        record = self.live.get(path)
        source = f"{self.live_root}/{path}"
        return (source, record) if record is not None and is_intact(source, record) else None


@contextmanager
def site_writer(output_dir: Path, reads: Iterable[Path] = ()) -> Iterator[StagedSite]:
    """Turn the spare into the new site file by file, then swap it in; an exception leaves
    the live site untouched. The lock is held from the first file to the swap, so two
    builds never interleave."""
    reads = tuple(reads)
    check_output_dir(output_dir, reads)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(output_dir):
        check_output_dir(output_dir, reads)  # again: another build may have run meanwhile
        check_spare(spare_path(output_dir), reads)
        remove_leftovers(output_dir)
        existed = output_dir.exists()
        live, spare = take_manifests(output_dir)
        if existed and live is None:
            live = adopt(output_dir)
        folder = spare_path(output_dir)
        if spare is None:  # none, damaged or foreign: start from an empty folder
            _discard(folder)
            folder.mkdir()
        site = StagedSite(folder, output_dir, spare, live)
        try:
            yield site
            manifest = site.finish()
        except BaseException:
            if not existed:
                shutil.rmtree(folder, ignore_errors=True)
            else:
                with suppress(Exception):
                    if (settled := site.settle()) is not None:
                        settled.save(manifest_paths(output_dir)[1])
            raise
        if not existed:  # a first build: nothing to swap with
            folder.rename(output_dir)
            manifest.save(manifest_paths(output_dir)[0])  # the next build need not read it
            return
        manifest.save(manifest_paths(output_dir)[1])
        _swap(folder, output_dir)
        _swap_manifests(output_dir)


def write_site(files: Mapping[str, bytes], output_dir: Path, reads: Iterable[Path] = ()) -> int:
    """Write `files` (output path → bytes) as the new content of `output_dir`; returns count."""
    with site_writer(output_dir, reads) as site:
        for path, data in sorted(files.items()):
            site.add(path, data)
    return len(files)
