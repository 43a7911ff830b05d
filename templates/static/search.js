// The search page (/recherche/): full-text search with facets on Pagefind's JS API.
//
// Everything the page says comes from data-* attributes of #recherche (French strings of
// site_gen/strings.py); the index is the Pagefind bundle at data-bundle. Several values of one
// facet combine with OR, facets combine with AND, and each count says how many results ticking
// that value would give. The query and the ticked values live in the URL (?q=…&territoire=…)
// so the header form lands here and results can be shared. The DOM is built with textContent
// only: no innerHTML, no inline style (the pages' CSP forbids both).

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 200;
const WIDE = "(min-width: 56em)"; // same breakpoint as the stylesheet's two-column layout

const root = document.getElementById("recherche");
if (root) {
  start(root).catch((error) => unavailable(root, error));
}

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

/** Pagefind's filter object: OR inside a facet, AND between facets (`except` left out). */
function pagefindFilters(selected, except) {
  const filters = {};
  for (const [name, values] of selected) {
    if (name !== except && values.size) filters[name] = { any: [...values] };
  }
  return filters;
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
  const pagefind = await import(new URL("pagefind.js", bundle).href);
  // Record URLs are already full paths (base path included): nothing to prepend.
  await pagefind.options({ bundlePath: bundle, baseUrl: "/", excerptLength: 0 });
  await pagefind.init();
  // Loads every filter chunk, so that every later search returns counts for all facets.
  const allValues = await pagefind.filters();

  // Facets: one <details> per facet (collapsible on phones), a fieldset of checkboxes inside.
  const boxes = new Map(); // facet name → Map(value → {checkbox, count})
  const sections = [];
  facets.forEach((facet, f) => {
    const values = Object.keys(allValues[facet.name] || {}).sort(collator.compare);
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

  function card(data) {
    const item = element("li", "card search-result");
    const heading = element("h3", "card-title");
    const link = element("a", "", data.meta.title || data.url);
    link.href = data.url;
    heading.append(link);
    item.append(heading);
    if (data.meta.summary) item.append(element("p", "card-summary", data.meta.summary));
    if (data.meta.territories) {
      const where = element("p", "card-territories");
      where.append(element("span", "tags-label", text.textTerritories), " ");
      where.append(element("span", "", data.meta.territories));
      item.append(where);
    }
    return item;
  }

  async function showMore(current, focusFirst) {
    const slice = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(slice.map((result) => result.data()));
    if (current !== generation) return;
    const items = data.map(card);
    list.append(...items);
    shown += slice.length;
    more.hidden = shown >= results.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  async function search() {
    const current = ++generation;
    syncUrl();
    clear.hidden = !anySelected();
    const term = input.value.trim() || null;
    // Counts: a facet with ticked values is counted without its own selection (its values
    // are alternatives), every other facet on the results themselves.
    const main = pagefind.search(term, { filters: pagefindFilters(selected) });
    const own = facets
      .filter((facet) => selected.get(facet.name).size > 0)
      .map((facet) =>
        pagefind
          .search(term, { filters: pagefindFilters(selected, facet.name) })
          .then((response) => [facet.name, response]),
      );
    const [response, ...others] = await Promise.all([main, ...own]);
    if (current !== generation) return;
    const counts = { ...response.filters };
    for (const [name, other] of others) counts[name] = other.filters[name];
    for (const [name, byValue] of boxes) {
      for (const [value, { count }] of byValue) {
        count.textContent = `(${(counts[name] || {})[value] || 0})`;
      }
    }
    results = response.results;
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
