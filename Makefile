# somatosim — two commands on a fresh machine:
#   make demo   create .venv, install somatosim, simulate a virtual person, write outputs to demo/
#   make test   install the dev extras and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-dev validate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"

demo: install
	$(BIN)/somatosim simulate --age 30 --sex male --days 2 --seed 1 --out demo/male30
	$(BIN)/somatosim simulate --age 30 --sex female --days 2 --seed 1 --out demo/female30
	@echo "demo outputs written to demo/ (CSV + PNG per virtual person)"

test: install-dev
	$(BIN)/python -m pytest

validate: install
	$(BIN)/somatosim validate --out validation

bench: install
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV) demo build *.egg-info src/*.egg-info
