"""Work spread over forked workers gives exactly what one process gives."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from site_gen.build.pipeline import BuildOptions, build
from site_gen.parallel import map_chunks

from .conftest import ROOT, tree_snapshot

sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402


def square_with_pid(value: int) -> tuple[int, int]:
    import os

    return value * value, os.getpid()


def test_results_come_back_in_order_from_several_processes():
    results = list(map_chunks(square_with_pid, range(5000), workers=2))
    assert [r[0] for r in results] == [v * v for v in range(5000)]
    assert len({pid for _, pid in results}) == 2


_THIS_PROCESS_ONLY: list[bytes] = []


def square_and_what_is_seen(value: int) -> tuple[int, int, int]:
    import os

    return value * value, os.getpid(), len(_THIS_PROCESS_ONLY)


def test_fresh_workers_keep_the_order_and_inherit_nothing():
    import os

    _THIS_PROCESS_ONLY.append(b"x" * 10_000_000)  # as the catalogue's texts before derive
    try:
        results = list(map_chunks(square_and_what_is_seen, range(3000), workers=2, fresh=True))
    finally:
        _THIS_PROCESS_ONLY.clear()
    assert [r[0] for r in results] == [v * v for v in range(3000)]
    assert len({pid for _, pid, _ in results} - {os.getpid()}) == 2  # two other processes
    assert {seen for _, _, seen in results} == {0}  # which never had this process's data


def test_small_work_stays_in_this_process():
    import os

    results = list(map_chunks(square_with_pid, range(10), workers=2))
    assert {pid for _, pid in results} == {os.getpid()}


def test_parallel_build_equals_single_process_build(tmp_path: Path):
    content = tmp_path / "content"
    write_catalogue(150, content)  # ~600 pages: enough for the workers to be used
    outputs = {}
    for workers in (1, 2):
        output = tmp_path / f"out-{workers}"
        options = BuildOptions(
            content_dir=content, output_dir=output, cache_dir=None, workers=workers, search=False
        )
        report = build(options)
        assert report.pages > 400
        outputs[workers] = {p: data for p, (data, _) in tree_snapshot(output).items()}
    assert outputs[1] == outputs[2]


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_garbage_cycles_made_while_rendering_are_freed_not_kept_to_the_end():
    from site_gen.build.pipeline import collector_paused

    def live_nodes() -> int:
        return sum(type(o) is _Node for o in gc.get_objects())

    with collector_paused() as resume:
        for _ in range(20_000):
            _Node()
        assert live_nodes() >= 20_000  # paused: the catalogue is being made
        resume()  # rendering: the collector runs again over what comes after
        for _ in range(20_000):
            _Node()
        assert live_nodes() < 20_000 + 2_000  # the new cycles were freed as they came
    gc.collect()
    assert live_nodes() == 0
