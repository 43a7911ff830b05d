// The search page (/recherche/): full-text search with facets, in the browser, on the static
// index that site_gen/search.py writes (its docstring describes the files).
//
// Everything the page says comes from data-* attributes of #recherche (French strings of
// site_gen/strings.py); the index is at data-bundle. Words of a query are all required; a
// word of three letters or more also finds the longer words it begins ("particip" finds
// "participation"). Several values of one facet combine with OR, facets combine with AND,
// and each count says how many results ticking that value would give. The query and the
// ticked values live in the URL (?q=…&territoire=…) so the header form lands here and
// results can be shared. Only the files a query needs are fetched, each once. The DOM is
// built with textContent only: no innerHTML, no inline style (the pages' CSP forbids both).

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 200;
const WIDE = "(min-width: 56em)"; // same breakpoint as the stylesheet's two-column layout
const FORMAT = 1; // search.py's FORMAT: the layout of the files this script reads
const EXACT_BONUS = 0.5; // a word typed in full ranks above the longer words it begins
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

/** The search index under `bundle`: each file fetched once, when a query first needs it. */
class SearchIndex {
  static async open(bundle) {
    const index = new SearchIndex(bundle);
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
    return index;
  }

  constructor(bundle) {
    this.bundle = bundle;
    this.files = new Map(); // path → Promise of its JSON
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

  /** id → score of the actors having a term that `word` begins (or equals, when short):
   * the best weight among those terms, plus a bonus when one of them is `word` itself. */
  async scores(word) {
    const prefix = [...word].length >= this.meta.prefix;
    const name = [...word].slice(0, this.meta.prefix).join("");
    const scores = new Map();
    if (!this.buckets.has(name)) return scores;
    const terms = await this.file(bucketPath(name));
    for (const [term, postings] of Object.entries(terms)) {
      if (prefix ? !term.startsWith(word) : term !== word) continue;
      const bonus = term === word ? EXACT_BONUS : 0;
      let id = 0;
      for (const posting of postings) {
        id += Math.floor(posting / 4);
        const score = (posting % 4) + 1 + bonus;
        if (!(scores.get(id) >= score)) scores.set(id, score);
      }
    }
    return scores;
  }

  /** Actors having every word, id → summed score; null for a query without words. */
  async match(query) {
    const words = this.words(query);
    if (!words.length) return null;
    const each = await Promise.all(words.map((word) => this.scores(word)));
    each.sort((a, b) => a.size - b.size);
    const total = new Map(each[0]);
    for (const scores of each.slice(1)) {
      for (const [id, score] of total) {
        const more = scores.get(id);
        if (more === undefined) total.delete(id);
        else total.set(id, score + more);
      }
    }
    return total;
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
    const scores = await this.match(query);
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
    return { results, counts };
  }

  /** [url, name, summary, territories] of each id, from the docs/ files that hold them. */
  async docs(ids) {
    const shard = (id) => `docs/${Math.floor(id / this.meta.shard)}.json`;
    const files = new Map();
    await Promise.all(ids.map(async (id) => files.set(id, await this.file(shard(id)))));
    return ids.map((id) => files.get(id)[id]).filter(Boolean);
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
  const index = await SearchIndex.open(bundle);

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
      byValue.set(value, { checkbox, count });
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

  function card([url, title, summary, territories]) {
    const item = element("li", "card search-result");
    const heading = element("h3", "card-title");
    const link = element("a", "", title || url);
    link.href = url; // a path from the domain root, the site's base path included
    heading.append(link);
    item.append(heading);
    if (summary) item.append(element("p", "card-summary", summary));
    if (territories) {
      const where = element("p", "card-territories");
      where.append(element("span", "tags-label", text.textTerritories), " ");
      where.append(element("span", "", territories));
      item.append(where);
    }
    return item;
  }

  async function showMore(current, focusFirst) {
    const slice = results.slice(shown, shown + PAGE_SIZE);
    const docs = await index.docs(slice);
    if (current !== generation) return;
    const items = docs.map(card);
    list.append(...items);
    shown += slice.length;
    more.hidden = shown >= results.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  async function search() {
    const current = ++generation;
    syncUrl();
    clear.hidden = !anySelected();
    const found = await index.search(input.value, selected);
    if (current !== generation) return;
    for (const [name, byValue] of boxes) {
      for (const [value, { count }] of byValue) {
        count.textContent = `(${found.counts[name]?.[value] || 0})`;
      }
    }
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(current, false);
    if (current !== generation) return;
    status.textContent = announce(results.length);
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
