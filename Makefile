# Two commands do everything on a fresh Debian machine with only Python:
#   make run   install what is missing, read images/, serve the editor
#   make test  install what is missing, run the whole suite
# Both are idempotent and quick when everything is already installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_LIST := docker/apt-packages.txt docker/apt-packages-test.txt
APT_PACKAGES := $(shell cat $(APT_LIST) | grep -v '^\s*\#' | grep -v '^\s*$$')
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup system-packages lint benchmark samples clean

run: setup
	-$(BIN)/workbench ocr images/
	$(BIN)/workbench serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed

# Installs only when a package is missing, so a second run costs one dpkg query.
system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing system packages:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

lint: setup
	$(BIN)/ruff check workbench tests benchmarks
	$(BIN)/mypy

samples: setup
	$(BIN)/python -m workbench.synthetic.samples images/

clean:
	rm -rf $(VENV) instance build *.egg-info .pytest_cache .mypy_cache .ruff_cache
