# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check lint types pytest bench bench-count bench-mixed bench-http bench-cold docs decorators clean werobot-suite

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all,test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python examples/hello.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

check: lint types

test: lint types pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/run.py

# Instructions per round trip under valgrind's cachegrind (needs valgrind; a few minutes).
bench-count: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/count.py

# The same, with 1, 4 and 6 push types arriving in turn (ours and WeRoBot; a few minutes).
bench-mixed: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/mixed.py

# Requests/s of our robot.wsgi against a floor app under gunicorn (2 sync workers), load from
# wrk (installed with apt-get when missing and possible); about 1.5 minutes.
bench-http: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk || echo "could not install wrk"
	$(BIN)/python bench/http_bench.py

# Cold start side by side: ours vs WeRoBot (15 interleaved runs, medians) and `werobot --help`.
bench-cold: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/cold.py

# WeRoBot 1.13.1's own test suite, imports renamed (downloads WeRoBot's sdist; docs/migration.md).
werobot-suite: $(STAMP)
	$(BIN)/python compat/werobot_suite/run.py

# Regenerate src/werobot_core/decorators.py from the message classes (a test checks it).
decorators: $(STAMP)
	$(BIN)/python -m werobot_cli.modeltable

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info src/*.egg-info
