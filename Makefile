# Svoi — two commands set up and run everything on a fresh machine with Python 3.11 + make:
#   make run    set up, migrate the embedded SQLite database and run Svoi
#   make test   set up and run every test (SQLite and PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run chat test lint format migrate bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: setup  ## run Svoi on the embedded default (SQLite under var/, local channels)
	$(BIN)/python -m bot run

chat: setup  ## chat with Svoi in this terminal
	$(BIN)/python -m bot chat

test: setup  ## every test, on SQLite and PostgreSQL
	$(BIN)/python -m pytest

lint: setup  ## ruff + mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: setup
	$(BIN)/python -m bot migrate

bench: setup  ## benchmarks (not part of the tests); results go to docs/benchmarks.md
	@set -e; for script in bench/*.py; do \
		case "$$script" in */_*) continue;; esac; \
		echo "== $$script"; PYTHONPATH=. $(BIN)/python "$$script"; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
