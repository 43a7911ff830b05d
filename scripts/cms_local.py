"""The web editor against this checkout, with no account: `make cms`.

    .venv/bin/python scripts/cms_local.py [--port 8000]

Starts decap-server (npm, a devDependency: `npm ci`) on 127.0.0.1:8081, writing into this
repository's content/, and the preview (`build.py serve`) on 127.0.0.1; the editor is then at
http://127.0.0.1:8000/admin/ and every file it saves is rebuilt into the preview. Ctrl-C stops
both. The browser tests start decap-server the same way (`decap_server`).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
LOCAL_PORT = 8081  # where the generated config.yml looks for it (site_gen/cms.py)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    """Until something listens on 127.0.0.1:`port`; raises if `process` dies first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped (exit status {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def decap_server(repository: Path, port: int = LOCAL_PORT, quiet: bool = False) -> Iterator[str]:
    """decap-server on 127.0.0.1:`port`, reading and writing files of `repository` (no git),
    until the block ends; yields its API address."""
    if not DECAP_SERVER.exists():
        raise FileNotFoundError(f"{DECAP_SERVER} not found: run `npm ci` (or `make test`) first")
    environment = os.environ | {
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(repository),
        "LOG_LEVEL": "warn" if quiet else "info",
    }
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen([str(DECAP_SERVER)], env=environment, stdout=output)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="the preview's port")
    args = parser.parse_args()
    preview = [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(args.port)]
    try:
        with decap_server(ROOT):
            process = subprocess.Popen(preview, cwd=ROOT)
            try:
                wait_for_port(args.port, process)
                print(f"Éditeur web : http://127.0.0.1:{args.port}/admin/ (Ctrl-C pour arrêter)")
                process.wait()
            finally:
                stop(process)
    except KeyboardInterrupt:
        print("Arrêté.")
    except (OSError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
