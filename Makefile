# make site  — install into .venv, validate the demo registry, build the site into site/
# make test  — install into .venv, lint (ruff), type-check (mypy) and run the tests
# make serve — show a built site on http://127.0.0.1:8000/ (AUDIENCE=<id> for another audience's, PORT=<n>)
PYTHON ?= python3
# the demo's invented 身份证号 and phones are sealed to this demo key (README: 密钥); a real registry's key is
# made by `cadres keygen`, kept by the org department, and never sits in a repository
export CADRES_AGE_IDENTITY_FILE ?= $(CURDIR)/benchmarks/demo-age-key.txt
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test test-fast lint validate demo bench clean

site: $(STAMP)
	$(BIN)/cadres validate
	$(BIN)/cadres build

# look at a built site on this machine: http://127.0.0.1:8000/ (AUDIENCE=unit-caizheng for a unit's)
AUDIENCE ?= zuzhibu
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/cadres serve --audience $(AUDIENCE) --port $(PORT)

# Python keeps its compiled modules (__pycache__/, ignored by git) even where the environment says not to
# (PYTHONDONTWRITEBYTECODE, as container images set): the tests start dozens of Python processes, and pytest
# keeps the test files it rewrote, a second a worker
test test-fast: export PYTHONDONTWRITEBYTECODE =

test: lint $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# the tests that need nothing but Python and git: no nginx, browser, LibreOffice, pre-commit or gitlab-ci-local
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not server and not office and not tools" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/cadres validate

demo: $(STAMP)
	$(BIN)/python benchmarks/synth_registry.py
	$(BIN)/cadres codeowners

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_policy.py
	$(BIN)/python benchmarks/bench_round.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_history.py
	$(BIN)/python benchmarks/bench_demo_history.py
	$(BIN)/python benchmarks/bench_roster.py
	$(BIN)/python benchmarks/bench_serve.py
	$(BIN)/python benchmarks/bench_excel.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[test]'  # not setuptools' editable-install notice
	touch $(STAMP)

clean:
	rm -rf site .cache $(VENV)
