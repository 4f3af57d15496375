# Svoi — two commands set up and run everything on a fresh machine with Python 3.11 + make:
#   make run    set up, migrate the embedded SQLite database and run Svoi
#   make test   set up and run every test (SQLite and PostgreSQL)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run chat test test-any-hour lint format migrate bench lock clean

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

# The delivery and waste tests with the machine's clock at 03:30 in Kyiv (inside the default
# quiet hours) and across the night the clocks go back (01:00 UTC, 25 October 2026), through
# libfaketime (Debian package `faketime`). Tests read the time from their own clock
# (tests/conftest.py), so they must pass whatever the machine's clock says.
# FAKETIME_DONT_FAKE_MONOTONIC=1 keeps asyncio's timers on the real monotonic clock.
ANY_HOUR_TESTS := tests/delivery tests/waste tests/channels/telegram/test_delivery.py \
	tests/channels/viber/test_delivery.py
ANY_HOUR_CLOCKS := "2026-12-03 01:30:00" "2026-10-25 00:58:00"

test-any-hour: setup  ## delivery and waste tests at 03:30 Kyiv and on the DST night
	@command -v faketime >/dev/null || { echo "needs faketime: apt-get install faketime"; exit 1; }
	@set -e; for when in $(ANY_HOUR_CLOCKS); do \
		echo "== the machine's clock starts at $$when UTC"; \
		TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime "$$when" \
			$(BIN)/python -m pytest -q -p no:cacheprovider $(ANY_HOUR_TESTS); \
	done

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

LOCKENV := .lockenv
lock:  ## regenerate the hashed lock files (docs/deploy.md); UPGRADE=--upgrade for new releases
	test -x $(LOCKENV)/bin/uv || ($(PYTHON) -m venv $(LOCKENV) && $(LOCKENV)/bin/pip install --quiet uv==0.13.9)
	$(LOCKENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes $(UPGRADE) -o requirements-dev.lock
	$(LOCKENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
		--generate-hashes --constraint requirements-dev.lock $(UPGRADE) -o requirements.lock

clean:
	rm -rf $(VENV) $(LOCKENV) .pytest_cache .mypy_cache .ruff_cache
