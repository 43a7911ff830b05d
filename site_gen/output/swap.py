"""Part of the writer (write.py), the only code that writes under the output folder: the
atomic swap of the new site with the live one, and the clean-up after a build killed mid-way.

On Linux one `renameat2(RENAME_EXCHANGE)` swaps the two trees (and then their manifests);
elsewhere two renames do, and a build killed between them is repaired by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import stat
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path

from site_gen.output.folder import MARKER, spare_path
from site_gen.output.manifest import manifest_paths

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def discard(path: Path) -> None:
    """Delete a file or a folder tree, never following a symbolic link (a link is deleted)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path)  # works on file descriptors: never follows a link inside
    else:
        os.unlink(path)


def remove_leftovers(output_dir: Path) -> None:
    """Clean up after a build killed mid-way (call with the lock held): restore a site caught
    between the renames of the fallback swap, then delete staging, old and temporary files.
    The spare and the manifests stay: the next build checks them before trusting them."""
    name = re.escape(output_dir.name)
    ours = re.compile(rf"\.{name}\.(\d+\.(staging|old)|(spare\.)?manifest\.\d+\.tmp)")
    try:
        leftovers = sorted(p for p in output_dir.parent.iterdir() if ours.fullmatch(p.name))
    except FileNotFoundError:
        return
    for leftover in leftovers:
        if leftover.suffix != ".old" or leftover.is_symlink() or not leftover.is_dir():
            continue
        if not output_dir.exists() and (leftover / MARKER).exists():
            leftover.rename(output_dir)  # killed between the two renames: the previous site
        elif output_dir.exists() and not os.path.lexists(spare_path(output_dir)):
            leftover.rename(spare_path(output_dir))  # killed after them: the next spare
    for leftover in leftovers:
        with suppress(OSError):
            discard(leftover)


@cache
def _renameat2():  # pragma: no cover - depends on the platform
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    args = (_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if function(*args) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap(new: Path, output_dir: Path) -> None:
    """Put the folder `new` in place of output_dir, and the site it replaces at new's name."""
    if exchange(new, output_dir):
        return
    old = output_dir.with_name(f".{output_dir.name}.{os.getpid()}.old")
    output_dir.rename(old)
    try:
        new.rename(output_dir)
    except BaseException:
        old.rename(output_dir)
        raise
    old.rename(new)


def swap_manifests(output_dir: Path) -> None:
    """After the swap of the trees, give each manifest the name of its tree's place. A build
    killed before this only leaves them crossed: they are found by identity anyway."""
    live, spare = manifest_paths(output_dir)
    with suppress(OSError):
        if not os.path.lexists(live):
            os.replace(spare, live)
        elif not exchange(spare, live):
            temporary = live.with_name(f"{live.name}.{os.getpid()}.tmp")
            os.replace(live, temporary)
            os.replace(spare, live)
            os.replace(temporary, spare)
