"""The bytes of the pages built, kept in the cache by page key, compressed: a build that has
no site before it to keep a page from (CI on a fresh clone with its cache restored, an output
folder deleted, the preview started again) takes the page from here instead of rendering it.

A page's key covers everything its bytes are made from (pages/keys.py), so the bytes kept
under a key are the bytes rendering it would make. Rows are sealed as every row of the cache
is (cache.TableStore), and only kept by builds that write a site. Once the store holds more
than twice the pages of the site just built (old templates or code, other output folders),
it keeps only those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import zstandard

from site_gen import fingerprint
from site_gen.build.options import BuildOptions
from site_gen.cache import TableStore

# Level 1: 330 MB of pages at 10,000 actors become 63 MB in 0.6 CPU s (zlib: 1.7 s), and
# come back in 0.6 s (docs/performance.md).
LEVEL = 1


class PageBytes:
    """The bytes of pages by page key, in the cache folder's database."""

    def __init__(self, options: BuildOptions):
        assert options.cache_dir is not None
        self.table = TableStore(options.cache_dir, "page_bytes", fingerprint.code())
        self.writes = options.write

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The bytes kept for these keys, by key (those it has)."""
        found = self.table.get_many(list(keys))
        expand = zstandard.ZstdDecompressor().decompress
        return {key: expand(packed) for key, packed in found.items()}

    def present(self, keys: list[str]) -> set[str]:
        """Which of these keys the store has bytes for (read, they may yet prove damaged)."""
        return self.table.present(keys)

    def put_many(self, pages: Iterable[tuple[str, bytes]]) -> None:
        """Keep these pages' bytes, by key (nothing when the build writes no site)."""
        if self.writes:
            pack = zstandard.ZstdCompressor(level=LEVEL).compress
            self.table.put_many((key, pack(data)) for key, data in pages)

    def forget(self, gone: Iterable[str], kept: set[str] | None = None) -> None:
        """Forget the pages of the keys `gone` (the site before's, no longer there). After a
        full build, whose pages are `kept`: every other page once there are too many. Pages
        made by other code are never read; they go then too (looking for them would read
        the whole table, 63 MB at 10,000 actors, at every full build)."""
        if not self.writes:
            return
        self.table.forget(gone, other_environments=False)
        if kept is not None and self.table.count() > 2 * len(kept):
            self.table.keep_only(kept)


def page_bytes(options: BuildOptions) -> PageBytes | None:
    """The store of the pages' bytes of a build, if it has a cache folder."""
    return PageBytes(options) if options.cache_dir is not None else None
