# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Sets up a fresh machine and runs the main job: a bulk push of a super voucher onto
# the sandbox fleet through real Celery workers; then serves the portal (EXIT=1 stops
# after the summary).
# Each run starts from a new fleet and an empty embedded database.
demo: $(STAMP)
	rm -rf var/certfleet.sqlite3 var/certfleet.sqlite3-wal var/certfleet.sqlite3-shm \
		var/broker var/sandbox
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo $(if $(EXIT),--exit,) $(if $(SITES),--sites $(SITES),) \
		$(if $(PORT),--port $(PORT),)

# Sets up and runs every test. DATABASE_URL / REDIS_URL select PostgreSQL and Redis.
test: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf var
