# The two commands of the README:
#   make demo   set up a fresh clone and run the main job (a working demo on synthetic data)
#   make test   set up and run every check and test (what .ci/run runs)
SHELL := /bin/bash
PY := .venv/bin/python

.PHONY: setup demo test check lint format bench clean

setup:
	@scripts/setup.sh

demo: setup
	@scripts/demo.sh

test: setup
	@scripts/check.sh

lint: setup
	@.venv/bin/ruff format --check src tests benchmarks && .venv/bin/ruff check src tests benchmarks

format: setup
	@.venv/bin/ruff format src tests benchmarks && .venv/bin/ruff check --fix src tests benchmarks

bench: setup
	@$(PY) -m benchmarks

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache var
