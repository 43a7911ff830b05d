"""Work spread over forked workers gives exactly what one process gives."""

from __future__ import annotations

import gc
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from site_gen.build.pipeline import BuildOptions, build
from site_gen.parallel import map_chunks

from .conftest import ROOT, tree_snapshot

sys.path.insert(0, str(ROOT / "scripts"))
from generate_catalogue import write_catalogue  # noqa: E402


def square_with_pid(value: int) -> tuple[int, int]:
    import os

    return value * value, os.getpid()


def test_results_come_back_in_order_from_several_processes():
    import os

    results = list(map_chunks(square_with_pid, range(5000), workers=2))
    assert [r[0] for r in results] == [v * v for v in range(5000)]
    # by other processes (one may do it all while the other starts, on a busy machine)
    assert os.getpid() not in {pid for _, pid in results}


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
    # other processes (one may do it all, while the other still starts)
    assert {pid for _, pid, _ in results} - {os.getpid()} == {pid for _, pid, _ in results}
    assert {seen for _, _, seen in results} == {0}  # which never had this process's data


def test_small_work_stays_in_this_process():
    import os

    results = list(map_chunks(square_with_pid, range(10), workers=2))
    assert {pid for _, pid in results} == {os.getpid()}


@pytest.mark.parametrize("cached", [False, True])
def test_parallel_build_equals_single_process_build(tmp_path: Path, cached: bool):
    """The render workers inherit nothing: they make each page from its recipe, the
    actors read from the cache (or from the stores sent to them, without a cache)."""
    content = tmp_path / "content"
    write_catalogue(150, content)  # ~600 pages: enough for the workers to be used
    outputs = {}
    for workers in (1, 2):
        output = tmp_path / f"out-{workers}"
        cache = tmp_path / f"cache-{workers}" if cached else None
        options = BuildOptions(
            content_dir=content, output_dir=output, cache_dir=cache, workers=workers, search=False
        )
        report = build(options)
        assert report.pages > 400
        outputs[workers] = {p: data for p, (data, _) in tree_snapshot(output).items()}
    assert outputs[1] == outputs[2]
    if cached:  # the pages' bytes now come from the store, sent without their recipes
        shutil.rmtree(tmp_path / "out-2")
        build(replace(options, output_dir=tmp_path / "out-2"))
        again = {p: data for p, (data, _) in tree_snapshot(tmp_path / "out-2").items()}
        assert again == outputs[1]


def test_a_render_worker_makes_every_page_from_what_it_is_sent(tmp_path: Path, monkeypatch):
    """What a render worker receives (the renderer and the pages, pickled: recipes whose
    actors it reads from the cache) is enough to make every page as the build would."""
    import pickle

    from site_gen.build import render_stage

    def as_sent(function, items, workers=None, fresh=False):
        function = pickle.loads(pickle.dumps(function))  # made again, as in a worker
        for start in range(0, len(items), 100):
            made = function(pickle.loads(pickle.dumps(list(items[start : start + 100]))))
            assert None not in made  # no page left to the build process
            yield from made

    content = tmp_path / "content"
    write_catalogue(40, content)
    sites = {}
    for name in ("as-sent", "here"):
        output = tmp_path / name
        options = BuildOptions(
            content_dir=content, output_dir=output, cache_dir=tmp_path / f"cache-{name}"
        )
        with monkeypatch.context() as patch:
            if name == "as-sent":
                patch.setattr(render_stage, "map_batches", as_sent)
            build(options)
        sites[name] = {p: data for p, (data, _) in tree_snapshot(output).items()}
    assert sites["as-sent"] == sites["here"]


def test_a_page_a_worker_cannot_make_is_left_to_the_build_process(tmp_path: Path):
    """A worker sent a page without its recipe (the store had its bytes) that the store
    no longer has, or a recipe whose actors the cache lost, gives None for it."""
    from site_gen.build.page_store import PageBytes
    from site_gen.build.render_stage import PageRenderer, PageToRender, SentRecipe

    options = BuildOptions(cache_dir=tmp_path / "cache", output_dir=tmp_path / "out")
    renderer = PageRenderer(renderer=None, store=PageBytes(options), planner=_NoActors())
    lost_actor = SentRecipe("acteurs/x/", "k2", b"", frozenset({"d" * 32}), frozenset())
    assert renderer([PageToRender("a/", "k1", None), lost_actor]) == [None, None]


class _NoActors:
    class derived:  # noqa: N801 - stands for a Derived that keeps no actor
        @staticmethod
        def actors(keys: list[str]) -> dict:
            return {}


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
