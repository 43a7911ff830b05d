"""The search index: what each actor's record holds, and byte-stable Pagefind bundles."""

from __future__ import annotations

import gzip
import json

import pytest

from site_gen import cbor
from site_gen.load import load_catalogue
from site_gen.markdown import MarkdownRenderer
from site_gen.search import PAGEFIND_SIGNATURE, canonical_bundle, records, search_index

from .conftest import SAMPLE_CONTENT


@pytest.fixture(scope="module")
def sample_records():
    settings, catalogue = load_catalogue(SAMPLE_CONTENT)
    return records(settings, catalogue, MarkdownRenderer())


def test_each_actor_is_one_record_with_facets_and_display_fields(sample_records):
    assert len(sample_records) == 12
    eco = next(r for r in sample_records if r["meta"]["title"] == "Écologie & Territoires")
    assert eco["url"] == "/acteurs/ecologie-territoires/"
    assert eco["language"] == "fr"
    assert "National" in eco["filters"]["territoire"]
    assert eco["filters"]["communs"] == ["Oui"]
    assert eco["meta"]["territories"].count(",") == len(eco["filters"]["territoire"]) - 1
    passages = next(r for r in sample_records if r["meta"]["title"] == "PASSAGES")
    assert "territoire" not in passages["filters"]  # none given: no empty facet value
    assert "ensembliers" in passages["content"]  # service text is searchable
    assert "**" not in passages["content"] and "<p>" not in passages["content"]


@pytest.mark.parametrize(
    "value",
    [
        0,
        23,
        24,
        255,
        256,
        65535,
        65536,
        2**32,
        -1,
        -500,
        "",
        "Île-de-France",
        b"\x00\xff",
        [],
        [1, [2, ["trois"]]],
        {"a": 1, "b": [True, False, None]},
    ],
)
def test_cbor_round_trips(value):
    assert cbor.loads(cbor.dumps(value)) == value


def test_bundle_bytes_do_not_depend_on_pagefinds_filter_order(sample_records, tmp_path):
    bundle = search_index(sample_records, cache_dir=None)
    filters = [p for p in bundle if p.startswith("pagefind/filter/")]
    assert filters
    shuffled = dict(bundle)
    for path in filters:  # what another Pagefind run may write: same values, other order
        raw = gzip.decompress(bundle[path])
        name, values = cbor.loads(raw[len(PAGEFIND_SIGNATURE) :])
        reordered = PAGEFIND_SIGNATURE + cbor.dumps([name, list(reversed(values))])
        shuffled[path] = gzip.compress(reordered)
    assert canonical_bundle(shuffled) == canonical_bundle(bundle) == bundle
    entry = json.loads(bundle["pagefind/pagefind-entry.json"])
    assert f"pagefind/pagefind.{entry['languages']['fr']['hash']}.pf_meta" in bundle
