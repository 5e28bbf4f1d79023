# The README's two commands. Both set themselves up on a fresh machine (Python 3.11, make, apt).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint build validate chromium fonts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirements change.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP) chromium
	STREAMLIT_BROWSER_GATHER_USAGE_STATS=false $(BIN)/streamlit run app.py \
		--server.headless true --server.address 127.0.0.1 --server.port 8501 --server.fileWatcherType none

# Debian's Chromium: figure images, the PDF handout and the browser tests. Installed only when missing and root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing and we are not root: figure images, the PDF and the browser tests need it"; fi; \
	fi

# Carlito, Calibri's metric twin: the deck test measures slide text in it (as LibreOffice draws the deck).
fonts:
	@if [ ! -f /usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-crosextra-carlito >/dev/null; \
		else echo "Carlito is missing and we are not root: the deck test measures text in it (apt-get install fonts-crosextra-carlito)"; fi; \
	fi

# axe-core (pinned in package-lock.json) for the accessibility tests, injected into pages by Playwright.
# Node and npm come from Debian when missing and root, like Chromium.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else echo "npm is missing and we are not root: the accessibility tests need axe-core (npm ci)"; exit 1; fi; \
	fi
	npm ci --no-audit --no-fund --silent
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# One worker per core (pytest-xdist), each test file in one worker: the browser tests' file shares one server,
# one browser and its walks. (pytest-xdist's loadgroup does not group under pytest 9: it renames a test's node id
# where pytest 9 no longer reads it.)
test: $(STAMP) chromium fonts node_modules/axe-core/axe.min.js lint
	$(BIN)/python -m pytest -n auto --dist loadfile

# The inner loop: ruff and every test but the slow kinds (AppTest, browser, kaleido, subprocess): about 15 s.
check: $(STAMP) lint
	$(BIN)/python -m pytest -q -m "not slow" -n auto

validate: $(STAMP)
	$(BIN)/python -m trialdata validate

build: $(STAMP)
	$(BIN)/python -m trialdata build

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache node_modules
