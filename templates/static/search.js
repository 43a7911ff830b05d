// The search page (/recherche/): full-text search with facets, in the browser, on the static
// index that site_gen/search.py writes (its docstring describes the files).
//
// Everything the page says comes from data-* attributes of #recherche (French strings of
// site_gen/strings.py); the index is at data-bundle. Words of a query are all required. A word
// finds, best first: itself; the longer words it begins, when it has three letters or more
// ("particip" finds "participation"); the other forms of the same word, by Snowball's French
// stemmer (data-stemmer, the same algorithm as PyPI's snowballstemmer: "participer" finds
// "participants"); and, ranked below all of those, the words one edit away when it has five
// letters or more, two from eight ("montpelier" finds "montpellier"). Several values of one
// facet combine with OR, facets combine with AND, and each count says how many results ticking
// that value would give; a value that would give none is disabled. A search without result
// offers, as links, the word or filter to drop and what that would give. Each result shows
// the passage where its words matched (texts/<id>.json, fetched for the results shown). The
// query and the ticked values live in the URL (?q=…&territoire=…) so the header form lands
// here and results can be shared. Only the files a query needs are fetched, each once. The
// DOM is built with textContent only: no innerHTML, no inline style (the pages' CSP forbids
// both).

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 200;
const WIDE = "(min-width: 56em)"; // same breakpoint as the stylesheet's two-column layout
const FORMAT = 2; // search.py's FORMAT: the layout of the files this script reads
const EXACT_BONUS = 0.5; // a word typed in full ranks above the longer words it begins
const TYPO_FACTOR = 0.1; // a word one or two edits away: below any other match (weights 1–4)
const EXCERPT_WORDS = 30; // words of an excerpt
const EXCERPT_BEFORE = 6; // of which before the first matched word
const WORD = /[\p{L}\p{N}]+/gu; // letters and digits, as search_record.py's _WORD

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function unavailable(root, error) {
  console.warn("search unavailable:", error);
  root.classList.add("search-unavailable");
  root.querySelector(".search-filters").hidden = true;
  root.querySelector(".search-status").textContent = root.dataset.textUnavailable;
}

/** The facets, in page order: [{name: "territoire", label: "Territoire"}, …]. */
function facetsOf(root) {
  return [...root.attributes]
    .filter((attribute) => attribute.name.startsWith("data-label-"))
    .map((attribute) => ({ name: attribute.name.slice("data-label-".length), label: attribute.value }));
}

/** Running sums: [3, 2, 5] → [3, 5, 10] (lists of ids are stored as gaps). */
function undelta(gaps) {
  let id = 0;
  return gaps.map((gap) => (id += gap));
}

/** The index's file of a term bucket: search.py's bucket_path. */
function bucketPath(name) {
  if (/^[a-z0-9]+$/.test(name)) return `terms/${name[0]}/${name.slice(1)}.json`;
  const bytes = [...new TextEncoder().encode(name)];
  return `terms/_/${bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("")}.json`;
}

/** How many edits away from a term a word of this length may be and still find it. */
function tolerance(length) {
  if (length >= 8) return 2;
  return length >= 5 ? 1 : 0;
}

/** The optimal string alignment distance of a and b (insertions, deletions, substitutions,
 * swaps of two neighbours), or limit + 1 as soon as it is known to be more than limit. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/** The buckets of a word with one of its first letters left out, or two of them swapped. */
function neighbours(word, prefix) {
  const letters = [...word];
  const names = new Set();
  for (let i = 0; i < prefix && i < letters.length - 1; i++) {
    const left = [...letters];
    left.splice(i, 1);
    names.add(left.slice(0, prefix).join(""));
    const swapped = [...letters];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
    names.add(swapped.slice(0, prefix).join(""));
  }
  return [...names];
}

/** The search index under `bundle`: each file fetched once, when a query first needs it. */
class SearchIndex {
  static async open(bundle, stemmerUrl) {
    const index = new SearchIndex(bundle);
    const loadingStemmer = import(stemmerUrl);
    // The entry point is always revalidated, so it never names files of an older build.
    index.meta = await index.file("meta.json", { cache: "no-cache" });
    if (index.meta.version !== FORMAT) throw new Error(`index format ${index.meta.version}`);
    const [filters, order] = await Promise.all([index.file("filters.json"), index.file("order.json")]);
    index.facets = new Map(
      Object.entries(filters).map(([name, values]) => [
        name,
        new Map(Object.entries(values).map(([value, gaps]) => [value, undelta(gaps)])),
      ]),
    );
    index.order = order;
    index.rank = new Map(order.map((id, position) => [id, position]));
    index.buckets = new Set(index.meta.buckets);
    index.stop = new Set(index.meta.stop);
    index.marks = new RegExp(`[${index.meta.marks}]`, "gu");
    const letters = Object.keys(index.meta.letters).join("|");
    index.letters = letters ? new RegExp(letters, "gu") : null;
    const { default: FrenchStemmer } = await loadingStemmer;
    index.stemmer = new FrenchStemmer();
    return index;
  }

  constructor(bundle) {
    this.bundle = bundle;
    this.files = new Map(); // path → Promise of its JSON
    this.stems = new Map(); // term → its stem
  }

  /** The Snowball stem of a folded word, as the index's terms are folded. */
  stem(term) {
    let stem = this.stems.get(term);
    if (stem === undefined) {
      stem = this.stemmer.stemWord(term);
      this.stems.set(term, stem);
    }
    return stem;
  }

  file(path, options) {
    if (!this.files.has(path)) {
      const loading = fetch(new URL(path, this.bundle).href, options).then((response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        return response.json();
      });
      loading.catch(() => this.files.delete(path)); // a later search may try again
      this.files.set(path, loading);
    }
    return this.files.get(path);
  }

  /** search_record.py's fold: NFKD, lower case, no combining marks, some letters spelt out. */
  fold(text) {
    const folded = text.normalize("NFKD").toLowerCase().replace(this.marks, "");
    return this.letters ? folded.replace(this.letters, (l) => this.meta.letters[l]) : folded;
  }

  /** The distinct words of a query, folded. Stop words are left out, unless the query has
   * nothing else: "par" is then still the beginning of "participation". */
  words(query) {
    const words = [];
    for (const word of this.fold(query).match(WORD) || []) {
      if ([...word].length >= this.meta.minLength && !words.includes(word)) words.push(word);
    }
    const meaningful = words.filter((word) => !this.stop.has(word));
    return meaningful.length ? meaningful : words;
  }

  /** The actors matching `word` and the index's terms that matched it:
   * {scores: id → score, terms: term → "exact" | "form" | "typo"}. A score is the best weight
   * among the matched terms (search.py), plus a bonus for the word itself, times TYPO_FACTOR
   * for a term found with a typo. */
  async scores(word) {
    const length = [...word].length;
    const name = [...word].slice(0, this.meta.prefix).join("");
    const found = { scores: new Map(), terms: new Map() };
    const edits = tolerance(length);
    const stem = this.stem(word);
    const kind = (term) => {
      if (term === word) return "exact";
      if (length >= this.meta.prefix && term.startsWith(word)) return "form";
      if (this.stem(term) === stem) return "form";
      if (!edits) return null;
      if (distance(word, term, edits) <= edits || distance(stem, this.stem(term), edits) <= edits) {
        return "typo";
      }
      return null;
    };
    if (this.buckets.has(name)) this.collect(found, await this.file(bucketPath(name)), kind);
    if (!found.terms.size && edits) {
      // A typo in the first letters puts the word in another bucket: those of the word with
      // one of them left out or two swapped, when they exist.
      const others = neighbours(word, this.meta.prefix).filter((b) => b !== name && this.buckets.has(b));
      const typo = (term) => (distance(word, term, edits) <= edits ? "typo" : null);
      for (const terms of await Promise.all(others.map((b) => this.file(bucketPath(b))))) {
        this.collect(found, terms, typo);
      }
    }
    return found;
  }

  /** Adds the postings of the `terms` (term → postings) that `kind` accepts to `found`. */
  collect(found, terms, kind) {
    for (const [term, postings] of Object.entries(terms)) {
      const how = kind(term);
      if (!how) continue;
      found.terms.set(term, how);
      const bonus = how === "exact" ? EXACT_BONUS : 0;
      const factor = how === "typo" ? TYPO_FACTOR : 1;
      let id = 0;
      for (const posting of postings) {
        id += Math.floor(posting / 4);
        const score = ((posting % 4) + 1 + bonus) * factor;
        if (!(found.scores.get(id) >= score)) found.scores.set(id, score);
      }
    }
  }

  /** The actors having every word (id → summed score; null without words), the matched
   * terms (term → the position of its word in `words`) and the words found only with typos. */
  async matchWords(words) {
    if (!words.length) return { total: null, terms: new Map(), approximate: [] };
    const each = await Promise.all(words.map((word) => this.scores(word)));
    const terms = new Map();
    each.forEach((found, w) => {
      for (const term of found.terms.keys()) if (!terms.has(term)) terms.set(term, w);
    });
    const approximate = words.filter((_, w) => {
      const kinds = [...each[w].terms.values()];
      return kinds.length > 0 && kinds.every((how) => how === "typo");
    });
    const sorted = each.map((found) => found.scores).sort((a, b) => a.size - b.size);
    const total = new Map(sorted[0]);
    for (const scores of sorted.slice(1)) {
      for (const [id, score] of total) {
        const more = scores.get(id);
        if (more === undefined) total.delete(id);
        else total.set(id, score + more);
      }
    }
    return { total, terms, approximate };
  }

  /** The actors of the ticked values of each facet (OR inside a facet), by facet name. */
  selection(selected) {
    const sets = new Map();
    for (const [name, values] of selected) {
      if (!values.size) continue;
      const ids = new Set();
      for (const value of values) {
        for (const id of this.facets.get(name)?.get(value) || []) ids.add(id);
      }
      sets.set(name, ids);
    }
    return sets;
  }

  /** Results, best first then A→Z, and the counts of every facet value: how many results
   * ticking it would give (a facet with ticked values is counted without its own). */
  async search(query, selected) {
    return this.searchWords(this.words(query), selected);
  }

  async searchWords(words, selected) {
    const { total: scores, terms, approximate } = await this.matchWords(words);
    const candidates = scores ? [...scores.keys()] : this.order;
    const sets = this.selection(selected);
    const within = (except) => {
      const others = [...sets].filter(([name]) => name !== except).map(([, ids]) => ids);
      return candidates.filter((id) => others.every((ids) => ids.has(id)));
    };
    const results = within(null);
    const rank = (id) => this.rank.get(id) ?? Infinity;
    if (scores) results.sort((a, b) => scores.get(b) - scores.get(a) || rank(a) - rank(b));
    const counts = {};
    const all = new Set(results);
    for (const [name, values] of this.facets) {
      const base = sets.has(name) ? new Set(within(name)) : all;
      counts[name] = {};
      for (const [value, ids] of values) {
        counts[name][value] = ids.reduce((count, id) => count + base.has(id), 0);
      }
    }
    return { results, counts, words, terms, approximate };
  }

  /** {id, doc: [url, name, summary, territories, contexts], texts: [[field, label, text]…]}
   * of each id, from the docs/ file that holds it and its texts/ file. */
  async docs(ids) {
    const shard = (id) => `docs/${Math.floor(id / this.meta.shard)}.json`;
    const found = await Promise.all(
      ids.map(async (id) => {
        const [docs, texts] = await Promise.all([
          this.file(shard(id)),
          this.file(`texts/${id}.json`).catch(() => []), // no excerpt, the result all the same
        ]);
        return docs[id] && { id, doc: docs[id], texts };
      }),
    );
    return found.filter(Boolean);
  }
}

async function start(root) {
  const text = root.dataset;
  const facets = facetsOf(root);
  const form = root.querySelector(".search-form");
  const input = root.querySelector("#recherche-q");
  const panel = root.querySelector(".search-filters");
  const facetBox = root.querySelector(".search-facets");
  const status = root.querySelector(".search-status");
  const list = root.querySelector(".search-results");
  const collator = new Intl.Collator(document.documentElement.lang || "fr");

  // State from the URL: the query and the ticked values of each facet.
  const params = new URLSearchParams(window.location.search);
  const selected = new Map(facets.map((f) => [f.name, new Set(params.getAll(f.name))]));
  input.value = params.get("q") || "";
  status.textContent = text.textLoading;

  const bundle = new URL(root.dataset.bundle, document.baseURI).href;
  const index = await SearchIndex.open(bundle, new URL(root.dataset.stemmer, document.baseURI).href);

  // Facets: one <details> per facet (collapsible on phones), a fieldset of checkboxes inside.
  const boxes = new Map(); // facet name → Map(value → {checkbox, count})
  const sections = [];
  facets.forEach((facet, f) => {
    const values = [...(index.facets.get(facet.name)?.keys() || [])].sort(collator.compare);
    // A value in the URL that the index no longer has gets no checkbox and no filter.
    for (const value of selected.get(facet.name)) {
      if (!values.includes(value)) selected.get(facet.name).delete(value);
    }
    if (!values.length) return;
    const section = element("details", "facet");
    section.append(element("summary", "facet-summary", facet.label));
    const fieldset = element("fieldset");
    fieldset.append(element("legend", "visually-hidden", facet.label));
    const options = element("ul", "facet-options");
    const byValue = new Map();
    values.forEach((value, v) => {
      const id = `filtre-${f}-${v}`;
      const item = element("li", "facet-option");
      const checkbox = element("input");
      checkbox.type = "checkbox";
      checkbox.id = id;
      checkbox.name = facet.name;
      checkbox.value = value;
      checkbox.checked = selected.get(facet.name).has(value);
      const label = element("label", "", value + " ");
      label.htmlFor = id;
      const count = element("span", "facet-count");
      label.append(count);
      item.append(checkbox, label);
      options.append(item);
      byValue.set(value, { checkbox, count, item });
    });
    fieldset.append(options);
    section.append(fieldset);
    section.dataset.facet = facet.name;
    facetBox.append(section);
    sections.push(section);
    boxes.set(facet.name, byValue);
  });

  const clear = element("button", "search-clear", text.textClear);
  clear.type = "button";
  clear.hidden = true;
  facetBox.after(clear);

  const suggestions = element("ul", "search-suggestions");
  suggestions.hidden = true;
  status.after(suggestions);

  const more = element("button", "search-more", text.textMore);
  more.type = "button";
  more.hidden = true;
  list.after(more);

  // Open on wide screens; on phones only the facets with a ticked value start open.
  const wide = window.matchMedia(WIDE);
  const openFacets = () => {
    for (const section of sections) {
      section.open = wide.matches || selected.get(section.dataset.facet).size > 0;
    }
  };
  openFacets();
  wide.addEventListener("change", openFacets);

  // Keyboard users reach the results without tabbing through every checkbox.
  const skip = element("a", "search-skip", text.textSkip || "Aller aux résultats");
  skip.href = "#resultats";
  panel.prepend(skip);
  panel.hidden = false;

  // --- searching ------------------------------------------------------------------------
  let generation = 0;
  let results = [];
  let shown = 0;
  let matched = new Map(); // the index's terms the query matched → the position of its word

  const anySelected = () => [...selected.values()].some((values) => values.size > 0);

  function syncUrl() {
    const next = new URLSearchParams();
    const q = input.value.trim();
    if (q) next.set("q", q);
    for (const facet of facets) {
      for (const value of selected.get(facet.name)) next.append(facet.name, value);
    }
    const query = next.toString();
    const url = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function announce(count) {
    if (count === 0) return text.textNone;
    if (count === 1) return text.textOne;
    return text.textMany.replace("{count}", count.toLocaleString(document.documentElement.lang));
  }

  /** The words of `text` that the query matched, as [start, end] character ranges. */
  function marks(text) {
    const found = [];
    for (const word of text.matchAll(WORD)) {
      const w = matched.get(index.fold(word[0]));
      if (w !== undefined) found.push({ start: word.index, end: word.index + word[0].length, w });
    }
    return found;
  }

  /** `text` from `start` to `end` into `node`, the matched words in <mark>. */
  function highlighted(node, text, start, end, found) {
    let at = start;
    for (const mark of found) {
      if (mark.start < start || mark.end > end) continue;
      node.append(text.slice(at, mark.start), element("mark", "", text.slice(mark.start, mark.end)));
      at = mark.end;
    }
    node.append(text.slice(at, end));
    return node;
  }

  /** The passage of about EXCERPT_WORDS words, in one of the `texts`, where the most words
   * of the query matched (in it or in its label: a client, a service's title), then the most
   * matches, the first such: {field, label, text, start, end, found, cut}; null if none. */
  function excerpt(texts) {
    let best = null;
    for (const [field, label, passage] of texts) {
      const words = [...passage.matchAll(/\S+/gu)];
      const found = marks(passage);
      const inLabel = marks(label);
      if (!words.length || !(found.length || inLabel.length)) continue;
      for (const first of found.length ? found : [{ start: 0 }]) {
        const at = words.findIndex((word) => word.index + word[0].length > first.start);
        const from = Math.max(0, at - EXCERPT_BEFORE);
        const to = Math.min(words.length, from + EXCERPT_WORDS);
        const start = words[from].index;
        const end = words[to - 1].index + words[to - 1][0].length;
        const inside = [...inLabel, ...found.filter((mark) => mark.start >= start && mark.end <= end)];
        const score = [new Set(inside.map((mark) => mark.w)).size, inside.length];
        if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) {
          best = { field, label, text: passage, start, end, found, score, cut: [from > 0, to < words.length] };
        }
      }
    }
    return best;
  }

  /** "Service « {label} » :" with the label's matched words in <mark>. */
  function fieldName(field, label) {
    const node = element("span", "excerpt-field");
    const name = { service: text.textFieldService, experience: text.textFieldExperience }[field];
    if (!name) {
      node.append(field === "clients" ? text.textFieldClients : text.textFieldAbout);
      return node;
    }
    const [before, after] = name.split("{label}");
    node.append(before);
    highlighted(node, label, 0, label.length, marks(label));
    node.append(after);
    return node;
  }

  function card({ doc: [url, title, summary, territories, contexts], texts }) {
    const item = element("li", "card search-result");
    const heading = element("h3", "card-title");
    const link = element("a");
    highlighted(link, title || url, 0, (title || url).length, marks(title || url));
    link.href = url; // a path from the domain root, the site's base path included
    heading.append(link);
    item.append(heading);
    if (summary) {
      item.append(highlighted(element("p", "card-summary"), summary, 0, summary.length, marks(summary)));
    }
    const passage = matched.size ? excerpt(texts) : null;
    if (passage) {
      const quote = element("p", "search-excerpt");
      quote.append(fieldName(passage.field, passage.label), " ");
      const words = element("span", "excerpt-text");
      if (passage.cut[0]) words.append("… ");
      highlighted(words, passage.text, passage.start, passage.end, passage.found);
      if (passage.cut[1]) words.append(" …");
      quote.append(words);
      item.append(quote);
    }
    for (const [label, values, className] of [
      [text.textTerritories, territories, "card-territories"],
      [text.textContexts, contexts, "card-contexts"],
    ]) {
      if (!values) continue;
      const where = element("p", className);
      where.append(element("span", "tags-label", label), " ");
      where.append(element("span", "", values));
      item.append(where);
    }
    return item;
  }

  async function showMore(current, focusFirst) {
    const slice = results.slice(shown, shown + PAGE_SIZE);
    const docs = await index.docs(slice);
    if (current !== generation) return;
    const items = docs.map((found) => card(found, matched));
    list.append(...items);
    shown += slice.length;
    more.hidden = shown >= results.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  /** The links of a search without result: each word and each ticked value it could do
   * without, and how many results it would then give, those giving some, most first. */
  async function waysOut(words) {
    const ways = [];
    for (const [w, word] of words.entries()) {
      const rest = words.filter((_, other) => other !== w);
      const found = await index.searchWords(rest, selected);
      const q = input.value.trim().split(/\s+/).filter((part) => !index.words(part).includes(word));
      ways.push({ count: found.results.length, label: text.textWithoutWord.replace("{word}", word), q: q.join(" "), drop: null });
    }
    for (const [name, values] of selected) {
      for (const value of values) {
        const fewer = new Map([...selected].map(([n, v]) => [n, new Set([...v].filter((x) => n !== name || x !== value))]));
        const found = await index.searchWords(words, fewer);
        ways.push({ count: found.results.length, label: text.textWithoutFilter.replace("{value}", value), q: input.value.trim(), drop: [name, value] });
      }
    }
    const out = ways.filter((way) => way.count > 0).sort((a, b) => b.count - a.count);
    if (!out.length && words.length > 1) {
      // No single word to drop: all of them, the filters kept.
      const found = await index.searchWords([], selected);
      out.push({ count: found.results.length, label: text.textWithoutWords, q: "", drop: null });
    }
    return out.filter((way) => way.count > 0);
  }

  function urlOf(q, drop) {
    const next = new URLSearchParams();
    if (q) next.set("q", q);
    for (const facet of facets) {
      for (const value of selected.get(facet.name)) {
        if (!drop || drop[0] !== facet.name || drop[1] !== value) next.append(facet.name, value);
      }
    }
    const query = next.toString();
    return window.location.pathname + (query ? `?${query}` : "");
  }

  function showWaysOut(ways) {
    suggestions.replaceChildren();
    suggestions.hidden = !ways.length;
    for (const way of ways) {
      const item = element("li");
      const link = element("a", "", `${way.label} : ${announce(way.count)}`);
      link.href = urlOf(way.q, way.drop);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        input.value = way.q;
        if (way.drop) {
          selected.get(way.drop[0]).delete(way.drop[1]);
          const box = boxes.get(way.drop[0])?.get(way.drop[1]);
          if (box) box.checkbox.checked = false;
        }
        input.focus(); // the link goes away with the results it offers
        run();
      });
      item.append(link);
      suggestions.append(item);
    }
  }

  async function search() {
    const current = ++generation;
    syncUrl();
    clear.hidden = !anySelected();
    const found = await index.search(input.value, selected);
    if (current !== generation) return;
    for (const [name, byValue] of boxes) {
      for (const [value, { checkbox, count, item }] of byValue) {
        const n = found.counts[name]?.[value] || 0;
        count.textContent = `(${n})`;
        // A value that would give no result cannot be ticked; a ticked one can be unticked.
        checkbox.disabled = n === 0 && !checkbox.checked;
        item.classList.toggle("facet-option-disabled", checkbox.disabled);
      }
    }
    results = found.results;
    matched = found.terms;
    shown = 0;
    list.replaceChildren();
    await showMore(current, false);
    if (current !== generation) return;
    const ways = results.length ? [] : await waysOut(found.words);
    if (current !== generation) return;
    showWaysOut(ways);
    const said = [announce(results.length)];
    if (found.approximate.length && results.length) {
      said.push(text.textApproximate.replace("{words}", found.approximate.join(", ")));
    }
    if (ways.length) said.push(text.textWaysOut.replace("{count}", ways.length));
    status.textContent = said.join(" ");
  }

  function run() {
    search().catch((error) => unavailable(root, error));
  }

  let timer = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  facetBox.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const values = selected.get(box.name);
    if (box.checked) values.add(box.value);
    else values.delete(box.value);
    run();
  });
  clear.addEventListener("click", () => {
    for (const values of selected.values()) values.clear();
    for (const byValue of boxes.values()) {
      for (const { checkbox } of byValue.values()) checkbox.checked = false;
    }
    input.focus(); // the button hides itself: keep the focus somewhere useful
    run();
  });
  more.addEventListener("click", () => {
    showMore(generation, true).catch((error) => unavailable(root, error));
  });

  await search();
}

// Last: the class above must be defined before start() uses it.
const root = document.getElementById("recherche");
if (root) {
  start(root).catch((error) => unavailable(root, error));
}
