# Two commands on a fresh clone: `make serve` and `make test`. Everything else sets itself up the same way.
VENV   ?= .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt scripts/install-actionlint.sh 2>/dev/null | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build validate schema notebooks test lint pdf a11y bench linkcheck release lock clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml constraints.txt scripts/install-actionlint.sh
	test -x $(PY) || python3 -m venv $(VENV)
	# uv installs the ~120 pinned wheels (byte-compiled, in parallel) in seconds where pip takes most of a minute
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps "$$(grep -E '^uv==' constraints.txt)"
	$(UV) pip install --quiet --python $(PY) --no-deps --compile-bytecode -r constraints.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m pip check  # a dependency added to pyproject.toml but not pinned by `make lock` fails here
	bash scripts/install-actionlint.sh $(VENV)
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

test: setup ## run every test: data, snippets, both site builds, leak test, browser tests, coverage
	$(PY) -m pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=10 --cov=snippets --cov-report=term-missing:skip-covered --cov-fail-under=90

pdf: setup ## build the interviewer site, print the interviewer kit to site/interviewer-kit.pdf (headless Chromium)
	$(PY) -m handbook pdf

a11y: setup ## axe-core accessibility checks of the scorecard and candidate pages, and the keyboard-only scorecard test
	$(PY) -m pytest --no-cov tests/test_accessibility.py

lint: setup ## ruff on the package, tests and snippets
	$(VENV)/bin/ruff check handbook tests snippets

release: setup ## make release VERSION=1.4: mike-deploy both sites as 1.4 + latest to local branches (no push)
	$(PY) -m handbook.tools.release "$(VERSION)"

bench: setup ## build times vs a plain Material site, page weight, Lighthouse (needs node, chromium); writes bench/report.json
	test -x node_modules/.bin/lighthouse || npm ci --no-audit --no-fund
	$(PY) bench/run.py $(BENCH_ARGS)

linkcheck: build ## check every internal link and anchor of both sites; list external links in site/external-links.txt and request them (needs network; never part of make test)
	$(PY) -m handbook linkcheck

lock: setup ## re-pin every transitive dependency into constraints.txt
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean: ## remove built sites and caches (keeps .venv)
	rm -rf site .cache .pytest_cache .coverage htmlcov
