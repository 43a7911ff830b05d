"""The search index: what a reader finds through its files, and their stable bytes.

`find` reads the files as templates/static/search.js does (its rules in a few lines of
Python), so these tests check what a reader would: a word finds its actor, a beginning finds
the longer word, accents and case do not matter, stop words are ignored. Word forms,
typos, excerpts and facets' states are the script's alone: the browser tests run it on the
sample.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from site_gen.content.load import load_catalogue
from site_gen.pages import routes
from site_gen.pages.search import SHARD, bucket_path, search_index
from site_gen.pages.search_record import fold, record, terms_of, texts
from site_gen.text import fold as text_fold
from site_gen.text import sort_key

from .conftest import SAMPLE_CONTENT

BUNDLE = routes.SEARCH_BUNDLE


@pytest.fixture(scope="module")
def sample():
    return load_catalogue(SAMPLE_CONTENT)


@pytest.fixture(scope="module")
def sample_records(sample):
    settings, catalogue = sample
    return [record(settings, actor) for actor in catalogue.actors]


@pytest.fixture(scope="module")
def files(sample_records):
    return search_index(sample_records)


def read(files: dict[str, bytes], name: str):
    return json.loads(files[BUNDLE + name])


def undelta(gaps: list[int]) -> list[int]:
    total, ids = 0, []
    for gap in gaps:
        total += gap
        ids.append(total)
    return ids


def find(files: dict[str, bytes], query: str) -> list[int]:
    """The ids search.js lists for a query without facets, best first (then A→Z)."""
    meta = read(files, "meta.json")
    words = list(dict.fromkeys(w for w in terms_of_query(query) if len(w) >= meta["minLength"]))
    words = [w for w in words if w not in meta["stop"]] or words
    total: dict[int, float] | None = None
    for word in words:
        scores: dict[int, float] = {}
        name = word[: meta["prefix"]]
        terms = read(files, bucket_path(name)) if name in meta["buckets"] else {}
        for term, postings in terms.items():
            if not (term.startswith(word) if len(word) >= meta["prefix"] else term == word):
                continue
            actor_id = 0
            for posting in postings:
                actor_id += posting // 4
                score = posting % 4 + 1 + (0.5 if term == word else 0)
                scores[actor_id] = max(scores.get(actor_id, 0), score)
        total = (
            scores if total is None else {i: s + scores[i] for i, s in total.items() if i in scores}
        )
    rank = {actor_id: n for n, actor_id in enumerate(read(files, "order.json"))}
    if total is None:
        return list(rank)
    return sorted(total, key=lambda i: (-total[i], rank[i]))


def terms_of_query(query: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(query))


def ids_named(catalogue, *names: str) -> list[int]:
    return [next(a.id for a in catalogue.actors if a.name == name) for name in names]


# --- what a reader finds ----------------------------------------------------------------------


def test_a_word_found_in_one_profile_only_finds_that_actor(files, sample):
    assert find(files, "ensembliers") == ids_named(sample[1], "PASSAGES")


def test_the_beginning_of_a_word_finds_the_longer_words(files, sample):
    assert find(files, "ensemblier") == ids_named(sample[1], "PASSAGES")
    assert set(find(files, "concert")) >= set(find(files, "concertation"))
    assert find(files, "ensembliersx") == []


def test_accents_case_and_ligatures_do_not_matter(files, sample):
    assert find(files, "ÉCOLOGIE") == find(files, "ecologie") == find(files, "écologie")
    assert ids_named(sample[1], "Écologie & Territoires")[0] in find(files, "ecologie")
    assert fold("Œuvre ÉLUE Straße") == "oeuvre elue strasse"


def test_stop_words_are_ignored_unless_they_are_the_whole_query(files):
    assert find(files, "les ensembliers de la") == find(files, "ensembliers")
    buckets = read(files, "meta.json")["buckets"]
    for word in ("les", "de", "nous"):  # frequent in the sample, never indexed
        assert word[:3] not in buckets or word not in read(files, bucket_path(word[:3]))
    # Typing "participation", the query is "par" for a moment: the beginning of a word.
    assert find(files, "participation")
    assert set(find(files, "par")) >= set(find(files, "participation"))


def test_every_word_is_required(files):
    both = find(files, "ensembliers concertation")
    assert both and set(both) <= set(find(files, "concertation"))
    assert find(files, "ensembliers inexistantmot") == []


def test_the_name_counts_more_than_the_text(sample):
    settings, catalogue = sample
    named = replace(catalogue.actors[0], id=1, name="Atelier Quokka", about="")
    mentioned = replace(catalogue.actors[1], id=2, name="Autre", about="Nous aimons le quokka.")
    files = search_index([record(settings, a) for a in (mentioned, named)])
    assert find(files, "quokka") == [1, 2]


def test_markup_of_descriptions_is_not_searchable(sample):
    settings, catalogue = sample
    actor = replace(
        catalogue.actors[0],
        about="Voir [notre méthode](https://exemple.org/zorglub) <span class='x'>ici</span>"
        " en &eacute;t&eacute;",
    )
    body = " ".join(record(settings, actor)["terms"]).split()
    assert "methode" in body and "ici" in body and "ete" in body
    assert not {"zorglub", "https", "span", "class", "eacute"} & set(body)


@given(st.text())
@example("ΟΔΟΣ'a")  # a final sigma before an apostrophe: σ for str.lower, ς in a word alone
def test_terms_are_the_words_of_the_folded_text(text):
    """What search.js does with a query: fold it, then split it (terms_of is faster)."""
    assert terms_of(text) == {w for w in re.findall(r"[^\W_]+", fold(text)) if len(w) > 1}


def test_folding_agrees_with_the_sites_and_both_ways_of_splitting_agree():
    text = "L’Île-de-France « participative » – Ærø, cœur ÉTÉ naïve façade Σοφία 12"
    assert fold(text) == text_fold(text)  # one folding for the whole site
    words = {"ile", "de", "france", "participative", "coeur", "ete", "naive", "facade", "12"}
    assert terms_of(text) == words | {"aerø", "σοφια"}  # not ASCII: the regular expression
    assert terms_of("L'Ile-de-France participative coeur ETE naive facade 12") == words
    assert terms_of("l'eau à Paris") == {"eau", "paris"}  # one letter: not a word


# --- the files ----------------------------------------------------------------------------------


def test_each_actor_has_its_result_in_the_shard_of_its_id(files, sample):
    settings, catalogue = sample
    for actor in catalogue.actors:
        doc = read(files, f"docs/{actor.id // SHARD}.json")[str(actor.id)]
        url = routes.url(settings.base_path, routes.actor(actor.slug))
        territories = ", ".join(t.label for t in actor.territories)
        contexts = ", ".join(t.label for t in actor.contexts)
        assert doc == [url, actor.name, actor.summary, territories, contexts]


def test_each_actor_has_the_passages_of_its_excerpts_as_a_reader_reads_them(files, sample):
    catalogue = sample[1]
    for actor in catalogue.actors:
        passages = read(files, f"texts/{actor.id}.json")
        fields = [field for field, _, _ in passages]
        with_text = [s for s in actor.services if s.tagline or s.description]
        assert fields.count("service") == len(with_text)
        assert fields.count("about") == (1 if actor.about.strip() else 0)
        for field, label, text in passages:
            assert text and "\n" not in text and "**" not in text and "](" not in text
            if field == "experience":
                assert any(label.startswith(e.client) for e in actor.experiences)


@hypothesis_settings(max_examples=500)
@given(st.lists(st.sampled_from([*"ab1é_*`#>[]| \t\n\u00a0.-", "__", "**"]), max_size=25))
def test_an_excerpt_is_the_text_without_markdowns_signs_on_one_line(sample, pieces):
    """What the reader reads: the signs of emphasis, headings, quotes and tables left out
    (underscores only at a word's start or end), every run of spaces one space."""
    catalogue = sample[1]
    about = "".join(pieces)
    actor = replace(catalogue.actors[0], about=about, services=(), experiences=(), clients=())
    signs = re.sub(r"[*`#>\[\]|]+|(?<!\w)_+|_+(?!\w)", "", about)
    expected = re.sub(r"\s+", " ", signs).strip()
    assert texts(actor) == ([["about", "", expected]] if expected else [])


def test_facet_postings_list_the_actors_of_each_value(files, sample):
    catalogue = sample[1]
    filters = {
        facet: {value: undelta(gaps) for value, gaps in values.items()}
        for facet, values in read(files, "filters.json").items()
    }
    for actor in catalogue.actors:
        for term in actor.territories:
            assert actor.id in filters["territoire"][term.label]
        for term in actor.contexts:
            assert actor.id in filters["contexte"][term.label]
    eco = next(a for a in catalogue.actors if a.name == "Écologie & Territoires")
    assert eco.id in filters["communs"]["Oui"]
    passages = next(a for a in catalogue.actors if a.name == "PASSAGES")
    assert all(passages.id not in ids for ids in filters["territoire"].values())
    for values in filters.values():
        for ids in values.values():
            assert ids == sorted(set(ids))


def test_order_is_the_french_alphabetical_order_of_the_names(files, sample):
    actors = sorted(sample[1].actors, key=lambda a: sort_key(a.name))
    assert read(files, "order.json") == [a.id for a in actors]
    assert find(files, "") == [a.id for a in actors]  # no words: everyone, A→Z


def test_meta_lists_exactly_the_term_files_and_every_path_is_safe(files):
    meta = read(files, "meta.json")
    buckets = {bucket_path(name) for name in meta["buckets"]}
    assert {p.removeprefix(BUNDLE) for p in files if "/terms/" in p} == buckets
    for name in meta["buckets"]:
        assert all(term.startswith(name) for term in read(files, bucket_path(name)))
    assert meta["docs"] == 12
    assert all(routes.is_safe(path) for path in files)
    assert bucket_path("con") == "terms/c/on.json"  # no file named con.json (Windows)
    assert bucket_path("σοφ") == "terms/_/cf83cebfcf86.json"


def test_same_records_same_bytes_in_any_order(sample_records, files):
    assert search_index(list(reversed(sample_records))) == files
    for data in files.values():
        assert (
            data
            == json.dumps(
                json.loads(data), ensure_ascii=False, separators=(",", ":"), sort_keys=True
            ).encode()
        )


def test_one_edited_actor_changes_only_the_files_of_its_words(sample, files):
    settings, catalogue = sample
    actors = list(catalogue.actors)
    n = next(i for i, a in enumerate(actors) if a.name == "PASSAGES")
    actors[n] = replace(actors[n], summary=actors[n].summary + " Spécialistes du zythum.")
    edited = search_index([record(settings, a) for a in actors])
    changed = {p for p in files.keys() | edited.keys() if files.get(p) != edited.get(p)}
    shard = f"{BUNDLE}docs/{actors[n].id // SHARD}.json"
    words = {f"{BUNDLE}{bucket_path('spe')}", f"{BUNDLE}{bucket_path('zyt')}"}
    # "zyt" is a new bucket: the list of buckets in meta.json changed too.
    assert changed == {shard, BUNDLE + "meta.json", *words}
    assert find(edited, "zythum") == [actors[n].id]


def test_an_empty_catalogue_gives_an_empty_index():
    files = search_index([])
    assert json.loads(files[BUNDLE + "meta.json"])["docs"] == 0
    assert find(files, "concertation") == [] and find(files, "") == []
