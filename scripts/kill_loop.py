"""Kill builds at random moments, again and again, and check the site every time.

    .venv/bin/python scripts/kill_loop.py [--kills 60] [--actors 300] [--seed 2026]

Each round starts `python build.py` on a generated catalogue over the site of the other
generation, sends SIGKILL at a random moment (every other one aimed at the write phase), then
checks that output/ is exactly the complete old or new site, that every manifest beside it
tells the truth about the tree it names, that the next build succeeds, leaves a spare it can
trust and nothing else behind. Not part of `make test` (it takes a few minutes); the test suite
runs a bounded version (tests/test_crash_safety.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_crash_safety import KillLoop  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--actors", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-gen-kills-") as work:
        started = time.perf_counter()
        loop = KillLoop(Path(work), actors=args.actors, rng=random.Random(args.seed))
        print(
            f"{args.actors} actors, {len(loop.snapshots['A'])} files per site; a build takes "
            f"{loop.build_seconds:.2f} s, writing from {loop.write_window[0]:.2f} s "
            f"to {loop.write_window[1]:.2f} s"
        )
        failures = 0
        for number in range(1, args.kills + 1):
            try:
                outcome = loop.kill_once()
            except AssertionError as error:
                failures += 1
                outcome = f"FAILED: {error}"
            print(f"kill {number:3d}: {outcome}", flush=True)
        print(f"\n{args.kills} kills in {time.perf_counter() - started:.0f} s, {failures} failed")
        for outcome, count in sorted(loop.outcomes.items()):
            print(f"  {count:3d}  killed {outcome}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
