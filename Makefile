# Two commands on a fresh clone: `make serve` and `make test`. Everything else sets itself up the same way.
VENV   ?= .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
PORT   ?= 8000
LOCK   := constraints.txt
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) 2>/dev/null | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build validate schema notebooks check test reference lint pdf a11y bench linkcheck release lock clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

# uv itself comes from pip, checked against the hashes the lock records for it; uv then installs the rest.
# The file changes (and uv is reinstalled) only when the lock's uv entry does.
$(VENV)/uv-requirement.txt: $(LOCK)
	@mkdir -p $(VENV)
	@awk '/^uv==/ {p=1} p {print} p && !/\\$$/ {exit}' $(LOCK) >$@.new
	@grep -q -- '--hash=sha256:' $@.new || { rm -f $@.new; echo "$(LOCK) has no hashed uv== pin: run make lock" >&2; exit 1; }
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(UV): $(VENV)/uv-requirement.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes -r $<
	touch $@

$(STAMP): pyproject.toml $(LOCK) | $(UV)
	# every file checked against its sha256 in the lock; the ~125 wheels byte-compiled, in parallel, in seconds
	$(UV) pip sync --quiet --python $(PY) --require-hashes --strict --compile-bytecode $(LOCK)
	# the project itself, built by the lock's setuptools (no unhashed download of a build backend)
	$(UV) pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	$(UV) pip check --quiet --python $(PY)  # a pin changed in pyproject.toml but not re-locked fails here: make lock
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) ## create .venv with the pinned packages (runs once, again when pins change)

serve: setup ## serve the interviewer handbook on 127.0.0.1:8000 (make serve PORT=8001), reloading on every save
	@$(PY) -m handbook serve --port $(PORT)

build: setup ## build site/interviewer and site/candidate (--strict; a failed build leaves site/ as it was)
	$(PY) -m handbook build

validate: setup ## check data/ and print every problem as file:line: where: what
	$(PY) -m handbook validate

schema: setup ## regenerate data/schemas/*.json after changing handbook/core/model.py
	$(PY) -m handbook schema

notebooks: setup ## run snippets/notebooks/*.py in a kernel and write the .ipynb (with outputs) the site renders
	$(PY) -m handbook notebooks

check: setup ## before you push (about 20 s): validate data/, lint, the unit tests (make test also requires >= 90% coverage of handbook/)
	$(PY) -m handbook validate
	$(VENV)/bin/ruff check handbook tests snippets bench
	$(PY) -m pytest -n 2 -q --no-cov tests/unit tests/test_layers.py  # coverage's tracer doubles this: make test measures it

test: setup ## run every test: data, snippets, both site builds, leak test, browser tests; coverage of snippets/ and handbook/ (each >= 90%)
	$(PY) -m pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=10 --cov --cov-report=
	$(PY) -m coverage report --include='snippets/*' --show-missing --skip-covered --fail-under=90
	$(PY) -m coverage report --include='handbook/*' --show-missing --skip-covered --fail-under=90

reference: setup ## rewrite tests/fixtures/rendered/ (the valid fixture's pages) after a meant change to the rendering; review its diff
	HANDBOOK_REGENERATE=1 $(PY) -m pytest --no-cov -q tests/unit/site/test_reference.py

KIT ?= room
pdf: setup ## print the room kit to site/room-kit.pdf (timeline, cue cards, scorecard); KIT=prep: every question, site/prep-kit.pdf
	$(PY) -m handbook pdf --kit $(KIT)

a11y: setup ## axe-core accessibility checks of the scorecard and candidate pages, and the keyboard-only scorecard test
	$(PY) -m pytest --no-cov tests/test_accessibility.py

lint: setup ## ruff on the package, tests, snippets and the bench
	$(VENV)/bin/ruff check handbook tests snippets bench

release: setup ## make release VERSION=1.4: mike-deploy both sites as 1.4 + latest to local branches (no push)
	$(PY) -m handbook.tools.release "$(VERSION)"

bench: setup ## build times vs a plain Material site, page weight, Lighthouse (needs node, chromium); writes bench/report.json
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(PY) bench/run.py $(BENCH_ARGS)

linkcheck: build ## check every internal link and anchor of both sites; list external links in site/external-links.txt and request them (needs network; never part of make test)
	$(PY) -m handbook linkcheck

lock: $(UV) ## resolve pyproject.toml's pins and all they need into constraints.txt, with every file's sha256
	# Keeps each pin that still fits (LOCK_ARGS=--upgrade moves all to the newest that fit). 3.11.5: pymdown-extensions' floor.
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11.5 --generate-hashes \
	  --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)

clean: ## remove built sites and caches (keeps .venv)
	rm -rf site .cache .pytest_cache .coverage htmlcov
