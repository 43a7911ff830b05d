"""Time a live preview as an editor sees it: from the save of an actor file to the first
response of the preview server that shows the edit (used by bench.py and bench_compare.py).

The server (`site_gen serve`, `hugo server`…) runs as its own process on 127.0.0.1; the page
is fetched every few milliseconds, so the figure includes noticing the change, rebuilding
and serving, as a browser's reload would see it.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 0.02  # 20 ms resolution; a browser page notices a new build within 150 ms


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def peak_mb(pid: int) -> int:
    """The peak resident memory of a running process so far (Linux), in MB; 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


class LiveServer:
    """A preview server started with `command` (in `cwd`) and serving at `url`; ready once
    `ready` (a path under `url`) answers 200. Stopped (then killed) on leaving the block."""

    def __init__(self, command: list[str], cwd: Path, url: str, ready: str, timeout: float):
        self.command, self.cwd, self.url = command, cwd, url
        self.ready, self.timeout = ready, timeout

    def __enter__(self) -> LiveServer:
        self.log = (self.cwd / "live-server.log").open("wb")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT
        )
        started = time.perf_counter()
        while fetch(self.url + self.ready)[0] != 200:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.command[0]} stopped: see {self.log.name}")
            if time.perf_counter() - started > self.timeout:
                self.__exit__()
                raise SystemExit(f"{self.url}{self.ready} not ready after {self.timeout:.0f} s")
            time.sleep(0.2)
        self.startup = time.perf_counter() - started
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.peak_mb = peak_mb(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def served_after(self, edit: Callable[[], str], page: str, timeout: float = 60) -> float:
        """Seconds from `edit()` (which saves a file and returns a text the edit puts on
        the page) to the first response of `page` that shows that text."""
        started = time.perf_counter()
        text = edit()
        while text not in fetch(self.url + page)[1]:
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"{self.url}{page} still stale after {timeout:.0f} s")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - started
