# Weefsel: `make demo` installs and serves the app with demo data; `make test` installs and runs all tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
WEEFSEL := $(VENV)/bin/weefsel
STAMP  := $(VENV)/.installed

.PHONY: demo test install translations translations-update check-translations lint serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel -q compile -d translations

# The demo names an example controller so the privacy statement reads as it will in production.
DEMO_ENV := WEEFSEL_PRIVACY_CONTROLLER="Demogemeente Weefsel (voorbeeld)" \
	WEEFSEL_PRIVACY_CONTACT="privacy@demogemeente.example, 14 020" \
	WEEFSEL_PRIVACY_DPO="Functionaris gegevensbescherming Demogemeente, fg@demogemeente.example"

demo: install
	$(WEEFSEL) db upgrade
	$(WEEFSEL) demo load
	$(DEMO_ENV) WEEFSEL_SECURE_COOKIES=0 WEEFSEL_BASE_URL=http://127.0.0.1:5000 $(WEEFSEL) serve --host 127.0.0.1 --port 5000

BABEL_KEYWORDS := -k _ -k gettext -k ngettext:1,2 -k lazy_gettext -k _l -k N_ -k pgettext:1c,2

translations-update: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -o translations/messages.pot --no-location --omit-header $(BABEL_KEYWORDS) .
	for lang in nl en tr ar pl; do \
	  $(VENV)/bin/pybabel -q update -i translations/messages.pot -d translations -l $$lang --init-missing --ignore-obsolete --no-fuzzy-matching; \
	done

check-translations: $(STAMP)
	$(PY) -m webapp.i18n_check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install check-translations lint
	$(PY) -m pytest -q

bench: install
	$(PY) -m pip install --quiet -e '.[bench]'
	for f in bench/*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
