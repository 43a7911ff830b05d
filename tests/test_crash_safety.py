"""Crash safety for real: `python build.py` killed with SIGKILL at random moments.

After every kill, output/ is exactly the complete previous site or the complete new one (never
partial, never missing), every manifest that names a tree tells the truth about it, the next
build succeeds, and it leaves nothing behind but the lock file, the spare and the manifests.
Two builds started at once both succeed, one after the other. The same helpers drive
`scripts/kill_loop.py`, which does at least 50 kills.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from site_gen.output.folder import MARKER, output_lock, spare_path
from site_gen.output.manifest import Manifest, manifest_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_VOCABULARIES = ROOT / "content" / "vocabularies.yaml"
WORDS = [
    "concertation",
    "participation",
    "citoyens",
    "territoire",
    "projet",
    "urbain",
    "atelier",
    "débat",
    "public",
    "collectivité",
    "médiation",
    "habitants",
    "démocratie",
    "locale",
    "évaluation",
    "jardin",
    "mobilité",
    "école",
]


def write_catalogue(content: Path, actors: int, generation: str, seed: int = 7) -> Path:
    """A content folder of `actors` actor files; `generation` shows on every page (site
    title) and changes which actors exist, so two generations differ in every file."""
    rng = random.Random(seed)
    if content.exists():
        shutil.rmtree(content)
    (content / "actors").mkdir(parents=True)
    shutil.copy(SAMPLE_VOCABULARIES, content / "vocabularies.yaml")
    vocabularies = yaml.safe_load(SAMPLE_VOCABULARIES.read_text(encoding="utf-8"))
    territories = [t["label"] for t in vocabularies["territories"]]
    contexts = [c["label"] for c in vocabularies["contexts"]]
    site = {"title": f"Annuaire {generation}", "base_url": "https://example.org/"}
    (content / "site.yaml").write_text(yaml.safe_dump(site), encoding="utf-8")
    offset = 0 if generation == "A" else actors // 10  # B drops the first tenth, adds more
    for number in range(offset + 1, offset + actors + 1):

        def text(words: int) -> str:
            return " ".join(rng.choice(WORDS) for _ in range(words))

        actor = {
            "id": number,
            "name": f"Acteur {number:04d} {text(2)}",
            "summary": text(12),
            "territories": rng.sample(territories, 2),
            "contexts": rng.sample(contexts, 2),
            "clients": [f"Ville {text(1)} {n}" for n in range(3)],
            "services": [{"title": text(3), "description": text(60)} for _ in range(2)],
            "about": "\n\n".join(text(80) for _ in range(3)) + f"\n\n- {text(5)}\n- {text(5)}",
        }
        path = content / "actors" / f"acteur-{number:04d}.yaml"
        path.write_text(yaml.safe_dump(actor, allow_unicode=True), encoding="utf-8")
    return content


def snapshot(folder: Path) -> dict[str, str] | None:
    """Every file's digest, or None when the folder does not exist."""
    if not folder.is_dir():
        return None
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differences(state: dict[str, str], expected: dict[str, str]) -> str:
    """The files that differ, in a few words: "3 files (acteurs/x/index.html, …)"."""
    paths = sorted(p for p in state.keys() | expected.keys() if state.get(p) != expected.get(p))
    return f"{len(paths)} files ({', '.join(paths[:3])}{', …' if len(paths) > 3 else ''})"


def leftovers(output: Path) -> list[str]:
    """What the builds left beside output/, apart from what stays: the lock file, the spare
    (the previous site, which the next build turns into the new one) and the manifests."""
    stays = {output, output.with_name(f".{output.name}.lock"), spare_path(output)}
    return sorted(
        p.name for p in output.parent.iterdir() if p not in stays | set(manifest_paths(output))
    )


def untrue_manifests(output: Path) -> list[str]:
    """What the manifests beside output/ get wrong about the trees they name: a manifest is
    trusted for a tree whose identity (folder, marker) it names, each file while its inode,
    size and mtime are as recorded, and for the spare the whole list, when its folders are."""
    problems = []
    for name in manifest_paths(output):
        manifest = Manifest.read(name)
        for tree in (output, spare_path(output)):
            if manifest is None or not manifest.describes(tree, folders=False):
                continue
            for path, record in manifest.files.items():
                file = tree / path
                info = file.lstat() if file.is_file() and not file.is_symlink() else None
                intact = info and record.split()[1:] == [
                    str(info.st_ino),
                    str(info.st_size),
                    str(info.st_mtime_ns),
                ]
                digest = hashlib.sha256(file.read_bytes()).hexdigest()[:32] if intact else None
                token = record.startswith("~")  # manifest.file_token: bytes not hashed
                if intact and not token and record.split()[0] != digest:
                    problems.append(f"{name.name}: {tree.name}/{path} has other bytes")
            listed = set(manifest.files) | {MARKER}
            actual = set(snapshot(tree))
            if manifest.describes(tree, folders=True) and actual != listed:
                problems.append(f"{name.name}: {tree.name} holds {sorted(actual ^ listed)[:3]}")
    return problems


def build_command(content: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        str(content),
        "--output",
        str(output),
    ]


@dataclass
class KillLoop:
    """Builds generation A and B alternately over one output folder, killing each at a
    random moment, then checks the folder and finishes the build.

    The builds run in `work`, so they have a build cache (.cache/) of their own.
    """

    work: Path
    actors: int = 300
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    outcomes: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.output = self.work / "site" / "output"
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.contents = {g: write_catalogue(self.work / g, self.actors, g) for g in "AB"}
        self.snapshots: dict[str, dict[str, str]] = {}
        for generation in "BA":  # fills the cache
            self.run(generation)
            self.snapshots[generation] = snapshot(self.output)
        assert self.snapshots["A"] != self.snapshots["B"]
        self.build_seconds, self.write_window = 0.0, (0.0, 0.0)
        for generation in "BA":  # ends with A in place
            self._timed_build(generation)
            assert snapshot(self.output) == self.snapshots[generation], "not reproducible"
        self.current = "A"
        self.kills = 0

    def start(self, generation: str, **options) -> subprocess.Popen:
        command = build_command(self.contents[generation], self.output)
        return subprocess.Popen(command, cwd=self.work, **options)

    def run(self, generation: str, check: bool = True, **options) -> subprocess.CompletedProcess:
        command = build_command(self.contents[generation], self.output)
        options = {"capture_output": True, "text": True, "timeout": 600} | options
        result = subprocess.run(command, cwd=self.work, **options)
        assert result.returncode == 0 or not check, result.stderr
        return result

    def _timed_build(self, generation: str) -> None:
        """A full build, timing it and when it writes (the spare has no manifest then), so
        that the next kills are aimed with the machine's current speed."""
        process = self.start(generation, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started, seen = time.perf_counter(), []
        while process.poll() is None:
            if self.writing():
                seen.append(time.perf_counter() - started)
            time.sleep(0.002)
        assert process.returncode == 0, process.communicate()[1]
        self.build_seconds = time.perf_counter() - started
        if seen:
            self.write_window = (seen[0], seen[-1])

    def writing(self) -> bool:
        """Whether a build is changing the spare (it deletes the spare's manifest first)."""
        return not manifest_paths(self.output)[1].exists()

    def kill_once(self) -> str:
        """One kill; returns what the kill interrupted. Raises AssertionError on damage.

        Every other kill aims at the write phase, where the danger is.
        """
        new = "B" if self.current == "A" else "A"
        self.kills += 1
        if self.kills % 2:
            delay = self.rng.uniform(0, self.build_seconds * 1.05)
        else:
            start, end = self.write_window
            delay = self.rng.uniform(max(0.0, start - 0.05), end + 0.05)
        process = self.start(new, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = snapshot(self.output)
        assert state is not None, f"output/ missing after a kill at {delay:.3f} s"
        if state == self.snapshots[self.current]:
            site = "old"
        elif state == self.snapshots[new]:
            site = "new"
        else:
            raise AssertionError(
                f"output/ is partial after a kill at {delay:.3f} s: "
                f"{differences(state, self.snapshots[self.current])} differ from the old site, "
                f"{differences(state, self.snapshots[new])} from the new"
            )
        assert untrue_manifests(self.output) == [], f"after a kill at {delay:.3f} s"
        left = leftovers(self.output) or self.writing()
        moment = "finished" if finished else ("writing" if left else "before writing")
        if site == "new" and not finished:
            moment = "after the swap"
        self._timed_build(new)
        state = snapshot(self.output)
        assert state == self.snapshots[new], (
            f"the next build differs from the new site: {differences(state, self.snapshots[new])}"
        )
        assert leftovers(self.output) == [], leftovers(self.output)
        assert untrue_manifests(self.output) == [], "after the next build"
        assert not self.writing(), "the next build left no trusted spare"
        self.current = new
        outcome = f"{moment}: {site} site"
        self.outcomes[outcome] += 1
        return outcome


@pytest.fixture(scope="module")
def kill_loop(tmp_path_factory: pytest.TempPathFactory) -> KillLoop:
    return KillLoop(tmp_path_factory.mktemp("kills"), actors=40)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_builds_killed_at_random_moments_leave_a_complete_site(kill_loop):
    for _ in range(8):
        kill_loop.kill_once()
    assert sum(kill_loop.outcomes.values()) == 8


def test_two_builds_at_once_both_succeed_one_after_the_other(kill_loop):
    processes = [kill_loop.start(g, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for g in "AB"]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
    final = snapshot(kill_loop.output)
    assert final in (kill_loop.snapshots["A"], kill_loop.snapshots["B"])
    assert leftovers(kill_loop.output) == []
    kill_loop.current = "A" if final == kill_loop.snapshots["A"] else "B"


def test_a_build_waits_for_the_lock_then_gives_up_with_a_clear_message(kill_loop):
    before = snapshot(kill_loop.output)
    other = "B" if kill_loop.current == "A" else "A"  # not the site in place: work to do
    with output_lock(kill_loop.output):
        result = kill_loop.run(other, check=False, env={**os.environ, "SITE_GEN_LOCK_WAIT": "0.5"})
    assert result.returncode == 2
    assert f"another build (process {os.getpid()}) is writing" in result.stderr
    assert "waited 0.5 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(kill_loop.output) == before
