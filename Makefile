# Dunwell: `make run` (the app on its embedded default) and `make test` (the whole suite
# on PostgreSQL and Redis). Everything is installed from pyproject.toml into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# The embedded default: SQLite and kombu's filesystem broker under var/, no server needed.
RUN_ENV := DEBUG=$${DEBUG:-1} DJANGO_SETTINGS_MODULE=collections_app.settings

.PHONY: run test bench install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty
	@echo
	@echo "Dunwell is starting on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "Web, Celery worker and beat run together; Ctrl-C stops all three."
	@$(RUN_ENV) bash -c 'trap "kill 0" EXIT; \
		$(BIN)/celery -A collections_app worker -B --pool=solo --loglevel=INFO & \
		$(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)'

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf var $(VENV)
