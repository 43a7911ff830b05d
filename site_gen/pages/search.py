"""The search index: one record per actor, merged into small static JSON files.

The search page (templates/static/search.js) fetches only what a query needs. Under
routes.SEARCH_BUNDLE:

- `meta.json`, the entry point: format version, number of actors, docs per shard, the term
  buckets that exist (so the browser never asks for a missing file), and how to fold and
  split a query (stop words, combining marks, letters to spell out), so both sides agree;
- `filters.json`: facet → value → actor ids, ascending and delta-encoded;
- `order.json`: every actor id in French alphabetical order of the names (the order of a
  search without words, and of equal scores);
- `docs/<id // SHARD>.json`: id → [url, name, summary, territories, contexts], what a
  result shows;
- `texts/<id>.json`: [field, label, text] of an actor's services, experiences and about
  text (search_record.texts), fetched only for the results shown, to cut their excerpts;
- `terms/c/on.json` (bucket_path): term → postings, for the terms of one bucket (their first
  three characters, here "con"). A posting is one integer, (id − previous id) × 4 + weight − 1,
  weight being the most important field the term appears in (search_record.WEIGHTS).

The terms are the folded words; French word forms meet in the page, which stems the query
and the terms of the buckets it fetched with Snowball's French stemmer (stemmer-fr.js, checked
against PyPI's snowballstemmer by tests/test_stemmer.py): no stem is stored, so the index
does not grow and the build does not stem (200 µs a word in pure Python).

Documents are keyed by actor id and files are named by bucket or id range, so the same
records always give the same bytes, and an edit of one actor changes only the files of its
words, its shard and the lists it moves in. Tokenizing happens in search_record.record(), on
every core; search_index() only merges.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import accumulate, groupby

from site_gen.pages import routes
from site_gen.pages.search_record import LETTERS, MARKS, MIN_LENGTH, STOP_WORDS, encoded

FORMAT = 2
SHARD = 25  # actors per docs/ file: a page of 10 results fetches at most 10 small files
PREFIX = 3  # characters of a term that name its bucket

_ASCII_NAME = re.compile(r"[a-z0-9]+")


def bucket(term: str) -> str:
    """The bucket a term is filed in: its first PREFIX characters."""
    return term[:PREFIX]


def bucket_path(name: str) -> str:
    """terms/c/on.json for "con": the first character as a folder keeps names of two
    characters or less (Windows refuses files named con, aux, nul or prn); other characters
    than a–z and 0–9 are written in hexadecimal UTF-8 (terms/_/c3b8.json)."""
    if _ASCII_NAME.fullmatch(name):
        return f"terms/{name[0]}/{name[1:]}.json"
    return f"terms/_/{name.encode().hex()}.json"


def texts_path(actor_id: int) -> str:
    """texts/12.json: the passages of actor 12's excerpts."""
    return f"texts/{actor_id}.json"


def _deltas(ids: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *ids], ids, strict=False)]


def _postings(codes: list[int]) -> list[int]:
    """Codes id × 4 + weight − 1, ids ascending → one integer per posting (see above)."""
    return [b - (a & ~3) for a, b in zip([0, *codes], codes, strict=False)]


def _buckets(postings: dict[str, list[int]]) -> Iterator[tuple[str, dict[str, list[int]]]]:
    """Each bucket's name and its terms' postings, in order, each made when the one before
    is done with: the postings (a new int each) never all exist at once."""
    for name, terms in groupby(sorted(postings), key=bucket):
        yield name, {term: _postings(sorted(postings.pop(term))) for term in terms}


def search_index(records: Iterable[dict]) -> dict[str, bytes]:
    """The index files by output path, from the records (in any order, read once: each
    record's terms go into the postings as it comes, and it is not kept).

    Merged whole by a cold build (under a second for 10,000 actors), or when the index of
    the site before cannot be patched (`patch_index`, see patch.search_files); the
    records themselves are kept between builds by actor (derived.py).
    """
    return dict(sorted(index_files(records)))


def index_files(records: Iterable[dict]) -> Iterator[tuple[str, bytes]]:
    """`search_index`'s files, path and bytes, each given as soon as it is made, for a
    writer that need not hold them all (the texts/ files, a third of a megabyte per
    hundred actors): each actor's texts as its record comes, then each bucket of terms,
    then the files that sum up every actor."""
    postings: dict[str, list[int]] = defaultdict(list)  # term → codes
    facets: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    shards: dict[int, dict[str, list[str]]] = defaultdict(dict)
    alphabetical = []
    bundle = routes.SEARCH_BUNDLE
    for item in records:
        actor_id = item["id"]
        _add_codes(postings, item)
        for name, values in item["facets"].items():
            for value in values:
                facets[name][value].append(actor_id)
        shards[actor_id // SHARD][str(actor_id)] = item["doc"]
        yield f"{bundle}{texts_path(actor_id)}", item["texts"]
        alphabetical.append((item["sort"], item["doc"][1], actor_id))
    names = []
    for name, terms in _buckets(postings):
        names.append(name)
        yield f"{bundle}{bucket_path(name)}", encoded(terms)
    for number, docs in shards.items():
        yield f"{bundle}docs/{number}.json", encoded(docs)
    yield bundle + "filters.json", _filters(facets)
    yield bundle + "order.json", encoded([actor_id for *_, actor_id in sorted(alphabetical)])
    yield (
        bundle + "meta.json",
        encoded(
            {
                "version": FORMAT,
                "docs": len(alphabetical),
                "shard": SHARD,
                "prefix": PREFIX,
                "buckets": sorted(names),
                "stop": STOP_WORDS,
                "minLength": MIN_LENGTH,
                "marks": MARKS,
                "letters": LETTERS,
            }
        ),
    )


def _filters(facets: Mapping[str, Mapping[str, Iterable[int]]]) -> bytes:
    """filters.json: facet → value → actor ids, ascending and delta-encoded; a value no
    actor has, and a facet without values, left out."""
    by_facet = {
        name: {value: _deltas(sorted(ids)) for value, ids in values.items() if ids}
        for name, values in facets.items()
    }
    return encoded({name: values for name, values in by_facet.items() if values})


def index_paths(read: Callable[[str], bytes | None], ids: Iterable[int]) -> set[str]:
    """Every file of the index `read` gives (path → bytes, None if missing), which holds
    the actors of these ids; ValueError if it has no meta.json."""
    bundle = routes.SEARCH_BUNDLE
    data = read(bundle + "meta.json")
    if data is None:
        raise ValueError("no search index")
    paths = {bundle + name for name in ("meta.json", "filters.json", "order.json")}
    paths |= {f"{bundle}docs/{number}.json" for number in {i // SHARD for i in ids}}
    paths |= {bundle + texts_path(i) for i in ids}
    return paths | {bundle + bucket_path(name) for name in json.loads(data)["buckets"]}


def _codes(postings: list[int]) -> list[int]:
    """The inverse of _postings."""
    codes, code = [], 0
    for posting in postings:
        code = posting + (code & ~3)
        codes.append(code)
    return codes


def _add_codes(postings: dict[str, list[int]], item: dict) -> None:
    """A record's codes added to the postings of its terms (see _postings)."""
    for weight, terms in enumerate(item["terms"], 1):
        code = item["id"] * 4 + weight - 1  # one int for all the terms of this weight
        for term in terms.split():
            postings[term].append(code)


def _codes_by_term(records: list[dict]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for item in records:
        _add_codes(found, item)
    return found


def patch_index(
    read: Callable[[str], bytes | None], old: list[dict], new: list[dict]
) -> dict[str, bytes | None]:
    """The index files that change when the records `old` become `new`, read from the
    index `read` gives (path → bytes, None if missing): by path, their new bytes, or None
    for a file the index no longer has. The same files as search_index would make, as
    long as the records keep their ids and names (the order of the results); ValueError
    if they do not, or if the index read is not the one the `old` records were indexed in."""
    bundle = routes.SEARCH_BUNDLE
    ids = {item["id"] for item in old}
    if ids != {item["id"] for item in new} or len(ids) != len(old):
        raise ValueError("the records do not match")
    names = {item["id"]: (item["sort"], item["doc"][1]) for item in old}
    if any(names[item["id"]] != (item["sort"], item["doc"][1]) for item in new):
        raise ValueError("a name changed, and so the order of the results")
    files: dict[str, bytes | None] = {}

    def load(path: str) -> dict:
        data = read(path)
        return {} if data is None else json.loads(data)

    meta_path = bundle + "meta.json"
    meta = load(meta_path)
    if meta.get("docs") is None:
        raise ValueError("no search index")
    for number in sorted({actor_id // SHARD for actor_id in ids}):
        path = f"{bundle}docs/{number}.json"
        docs = load(path)
        if any(str(item["id"]) not in docs for item in old if item["id"] // SHARD == number):
            raise ValueError(f"{path} is not as recorded")
        for item in new:
            if item["id"] // SHARD == number:
                docs[str(item["id"])] = item["doc"]
        files[path] = encoded(docs)
    texts_before = {item["id"]: item["texts"] for item in old}
    for item in new:
        if item["texts"] != texts_before[item["id"]]:
            files[bundle + texts_path(item["id"])] = item["texts"]
    before, after = _codes_by_term(old), _codes_by_term(new)
    touched = sorted(t for t in before.keys() | after.keys() if before[t] != after[t])
    buckets = set(meta.get("buckets", ()))
    for name in sorted({bucket(term) for term in touched}):
        path = f"{bundle}{bucket_path(name)}"
        terms = load(path)
        for term in (t for t in touched if bucket(t) == name):
            codes = _codes(terms.get(term, []))
            kept = [code for code in codes if code not in before[term]]
            if len(kept) + len(before[term]) != len(codes):
                raise ValueError(f"{term!r} is not indexed as recorded")
            terms[term] = _postings(sorted(kept + after[term]))
        terms = {term: postings for term, postings in terms.items() if postings}
        files[path] = encoded(terms) if terms else None
        if terms:
            buckets.add(name)
        else:
            buckets.discard(name)
    if sorted(buckets) != meta.get("buckets"):
        files[meta_path] = encoded(meta | {"buckets": sorted(buckets)})
    before_facets, after_facets = _memberships(old), _memberships(new)
    if before_facets != after_facets:
        path = bundle + "filters.json"
        facets = {
            name: {value: set(accumulate(deltas)) for value, deltas in values.items()}
            for name, values in load(path).items()
        }
        for name, value, actor_id in before_facets - after_facets:
            holders = facets.get(name, {}).get(value, set())
            if actor_id not in holders:
                raise ValueError(f"{value!r} is not filtered as recorded")
            holders.discard(actor_id)
        for name, value, actor_id in after_facets - before_facets:
            facets.setdefault(name, {}).setdefault(value, set()).add(actor_id)
        files[path] = _filters(facets)
    return files


def _memberships(records: list[dict]) -> set[tuple[str, str, int]]:
    """(facet, value, actor id) of every facet value of these records."""
    return {
        (name, value, item["id"])
        for item in records
        for name, values in item["facets"].items()
        for value in values
    }
