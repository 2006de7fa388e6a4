# The portal's commands. `make` alone lists them.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PYBABEL := $(BIN)/pybabel
POT := translations/messages.pot
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install install-test run test lint format extract update compile check-strings chromium guides-png bench lock audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

# Every dependency comes pinned with its hashes from the lock files (make lock writes them from
# pyproject.toml); the portal itself is installed on top, without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt requirements-openfisca.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.txt
	$(BIN)/pip download --quiet --no-deps --require-hashes -r requirements-openfisca.txt -d $(VENV)/openfisca
	touch $@

install: $(VENV)/.installed ## Create .venv and install the portal

install-test: $(VENV)/.installed-test ## Install the portal with its test tools

run: install compile ## Serve the portal on http://127.0.0.1:5000 with its job consumer (demo database on first use)
	test -f instance/portal.db || $(BIN)/portal init --demo
	$(BIN)/portal db upgrade
	$(BIN)/portal worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/portal run --host $(HOST) --port $(PORT) --reload

test: install-test compile chromium lint check-strings ## Lint, check the strings and run every test, browser tests included
	$(BIN)/pytest -n auto --dist worksteal

lint: install-test ## Ruff: lint and formatting check
	$(BIN)/ruff check portal tests bench
	$(BIN)/ruff format --check portal tests bench

format: install-test ## Ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix portal tests bench
	$(BIN)/ruff format portal tests bench

extract: install ## Extract the UI strings into translations/messages.pot
	$(PYBABEL) -q extract -F translations/babel.cfg -k _l -k lazy_gettext -k N_ -k ngettext_signed:1,2 --no-location --sort-output \
		--project=portail-demandeur --copyright-holder="Portail demandeur contributors" \
		--msgid-bugs-address=demandeurs@example.org -o $(POT) .

update: extract ## Merge the POT into every catalog (translations/<lang>/LC_MESSAGES/messages.po)
	$(PYBABEL) -q update -i $(POT) -d translations --no-fuzzy-matching --ignore-obsolete

compile: install ## Compile the catalogs (the .mo files are built, never committed)
	$(PYBABEL) -q compile -d translations

check-strings: install ## Fail when the POT is stale or a French string is missing
	$(BIN)/python -m portal.i18n_check

chromium: ## Install Debian's Chromium headless shell (browser tests) and poppler-utils (guides rendered to PNG) when missing
	@test -x /usr/bin/chromium-headless-shell -a -x /usr/bin/pdftoppm || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$SUDO apt-get install -y -qq chromium-headless-shell poppler-utils; }

guides-png: install compile chromium ## Render the fr and ar guides and a desk sheet to PNG pages in instance/guides-png/
	test -f instance/portal.db || $(BIN)/portal init --demo
	rm -rf instance/guides-png && mkdir -p instance/guides-png
	$(BIN)/portal guides build --locale fr --locale ar --out instance/guides-png
	$(BIN)/python -c "from portal import create_app; app = create_app(); c = app.test_client(); open('instance/guides-png/desk-sheet.pdf', 'wb').write(c.get('/fr/guichets/1/fiche.pdf').data)"
	for pdf in instance/guides-png/*.pdf; do pdftoppm -r 60 -png "$$pdf" "$${pdf%.pdf}"; done
	@ls instance/guides-png/*.png | wc -l | xargs echo "PNG pages in instance/guides-png/:"

bench: install ## Run the benchmarks in bench/ (each prints its figures, last line JSON)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock: install ## Pin every dependency with its hashes (requirements.txt, requirements-test.txt) from pyproject.toml
	$(BIN)/pip install --quiet 'uv==0.13.9'
	for extras in "--extra production:requirements.txt" "--extra production --extra test:requirements-test.txt"; do \
		$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
			--python-platform x86_64-unknown-linux-gnu $${extras%%:*} --quiet \
			--custom-compile-command "make lock" -o $${extras##*:} || exit 1; done

audit: install-test ## Check every pinned dependency against the known vulnerabilities (pip-audit, PyPI's advisories)
	$(BIN)/pip install --quiet 'pip-audit==2.10.1'
	$(BIN)/pip-audit --require-hashes --disable-pip -r requirements-test.txt

clean: ## Remove the virtualenv, caches and compiled catalogs (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
