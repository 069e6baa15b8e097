# Two commands: `make run` serves the platform, `make test` checks it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo messages lint format serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed

# The embedded profile (config/settings.py): the site as a visitor sees it, on
# plain http on the loopback, DEBUG off unless DEBUG=1, keys in var/secrets.env.
run: export PALVELUPAJA_PROFILE ?= embedded
# Links in e-mails and the catalogue name the address actually served.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python -m config.local_secrets var/secrets.env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compilemessages --ignore ".venv" -v0 || true
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo --if-empty
	@# The periodic jobs (core/jobs.py) run beside daphne and stop with it.
	$(BIN)/python manage.py run_jobs --loop & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	@./.ci/system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	node --test tests/js/
	$(BIN)/pytest $(PYTEST_ARGS)

messages: install
	mkdir -p locale
	$(BIN)/python manage.py makemessages -l fi -l sv -l en --ignore ".venv" --ignore "staticfiles" --ignore "tests" --ignore "bench" --no-obsolete --no-location
	$(BIN)/python manage.py makemessages -d djangojs -l fi -l sv -l en --ignore ".venv" --ignore "staticfiles" --ignore "tests" --ignore "bench" --no-obsolete --no-location
	$(BIN)/python manage.py compilemessages --ignore ".venv"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
	@# var/secrets.env is kept: deleting it logs everyone out and changes pseudonyms.
