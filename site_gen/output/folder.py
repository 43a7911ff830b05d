"""Which folder a build may replace, and the lock that keeps two builds of it apart.

- The output folder is ours alone: `check_output_dir` refuses `/`, a home, a git repository,
  the folder the build runs in, the folders the build reads (or a parent of any of these), a
  symbolic link, and a folder holding files without our marker. The spare kept beside it
  (write.py) meets the same refusals.
- One build writes at a time: a lock on `.NAME.lock` beside the folder; a second build waits
  for it, then gives up with a clear message.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from site_gen.errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the swap still protects the site
    fcntl = None  # type: ignore[assignment]

MARKER = ".site-gen-output"
# The lock is held for the whole render (files are staged as they come), which takes
# minutes for a very large catalogue.
LOCK_WAIT_SECONDS = float(os.environ.get("SITE_GEN_LOCK_WAIT", "900"))
_PACKAGE = Path(__file__).resolve().parent.parent  # all of site_gen, not only output/


def _homes() -> set[Path]:
    homes = {Path.home()}
    try:
        import pwd

        homes.update(Path(entry.pw_dir) for entry in pwd.getpwall() if entry.pw_dir)
    except ImportError:  # pragma: no cover - Windows
        pass
    return {home.resolve() for home in homes}


def _forbidden(output: Path, reads: Iterable[Path]) -> str:
    """Why replacing `output` (resolved) could destroy something not ours; "" if it cannot."""

    def covers(folder: Path) -> bool:  # output is that folder or one of its parents
        return output == folder or output in folder.parents

    if output == Path(output.anchor):
        return "it is the root of the file system"
    for home in sorted(_homes()):
        if covers(home):
            return f"it is the home folder {home}" if output == home else f"it holds {home}"
    if (output / ".git").exists():
        return "it is a git repository"
    if ".git" in output.parts:
        return "it is inside a .git folder"
    if covers(Path.cwd().resolve()):
        return "it is or holds the current folder"
    if covers(_PACKAGE) or output.is_relative_to(_PACKAGE):
        return f"it {'holds' if covers(_PACKAGE) else 'is inside'} the code of site_gen"
    for folder in (f.resolve() for f in reads):
        where = "is" if output == folder else "holds" if covers(folder) else "is inside"
        if where != "is inside" or output.is_relative_to(folder):
            return f"it {where} {folder}, which the build reads"
    return ""


def check_output_dir(output_dir: Path, reads: Iterable[Path] = ()) -> None:
    """Refuse an output folder that holds, or could hold, anything we did not write.

    `reads` are the folders the build reads (content, templates): output/ may be neither
    one of them, nor a parent of one, nor inside one.
    """
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise UsageError(f"{output_dir} is not a folder; choose another --output")
    reason = _forbidden(output_dir.resolve(), reads)
    if reason:
        raise UsageError(
            f"refusing to use {output_dir} as the output folder: {reason}. "
            "Choose a folder of its own, such as output/."
        )
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).exists():
        raise UsageError(
            f"{output_dir} holds files that site_gen did not write; refusing to "
            "replace it. Choose an empty or new folder with --output."
        )


def lock_path(output_dir: Path) -> Path:
    return output_dir.with_name(f".{output_dir.name}.lock")


@contextmanager
def output_lock(output_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of `output_dir` (waiting up to `wait` seconds), so builds never interleave.

    The kernel releases it when the process ends, even by SIGKILL; the empty file stays.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    path = lock_path(output_dir)
    fd = _open_lock(path)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise UsageError(
                        f"another build (process {holder}) is writing {output_dir}; waited "
                        f"{wait:g} s. Try again when it has finished (lock file: {path})."
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_lock(path: Path) -> int:
    """The lock file, opened or made, never through a link: one planted at its name (it
    may come with the repository) is deleted, and anything else but a file refused."""
    for _ in range(3):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | _NOFOLLOW, 0o644)
        except OSError:
            if not os.path.islink(path):
                break  # a folder, or a file we may not open
            os.unlink(path)
            continue
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
        os.close(fd)
        break
    raise UsageError(
        f"{path} is not a lock file of site_gen: remove it, or choose another --output"
    )


def spare_path(output_dir: Path) -> Path:
    """The previous site, kept beside the live one to become the next."""
    return output_dir.with_name(f".{output_dir.name}.spare")


def check_spare(spare: Path, reads: Iterable[Path]) -> None:
    """The spare is changed or deleted like the output folder, so the same refusals hold (a
    link planted at its name is only deleted, never followed)."""
    if spare.is_dir() and not spare.is_symlink():
        reason = _forbidden(spare.resolve(), reads)
        if reason:
            raise UsageError(
                f"refusing to replace {spare}, the previous site kept beside the output "
                f"folder: {reason}. Move it away or choose another --output."
            )
