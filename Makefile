# Set-up and checks. `make demo` and `make test` are the two commands a fresh machine needs.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= kg-data
SAMPLE := kg/data/sample/papers.jsonl

.PHONY: install demo test lint bench-extract clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## Build the bundled sample corpus into the embedded store and answer a canned query.
demo: install
	$(BIN)/kg build $(SAMPLE) --store $(STORE)
	$(BIN)/kg query methods_beating --param baseline=ResNet-50 --param dataset=ImageNet --store $(STORE)

## Run the whole test suite.
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check kg tests bench

bench-extract: install
	$(BIN)/python bench/extraction.py

clean:
	rm -rf $(STORE) .pytest_cache
