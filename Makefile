# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Each creates .venv and installs the pinned dependencies (pyproject.toml) when they changed.
# `make dist` builds the window PCs' one-folder bundle (dist/minsheng) and checks it runs without the
# checkout; `make test` ends with it, so CI builds and smoke-tests the Linux bundle on every run.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=

# Shared libraries Qt needs on Debian/Ubuntu (offscreen for tests, xcb for a real desktop).
QT_DEBS := libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 \
           libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0
SUDO := $(shell [ "$$(id -u)" = "0" ] || command -v sudo)
# The real browser the centre's public page is tested in (tests/test_public_browser.py).
BROWSER_DEBS := chromium chromium-driver
# makensis compiles the Windows installer script (packaging/windows/minsheng.nsi; tested on Linux too).
NSIS_DEBS := nsis
DIST := dist/minsheng
DIST_SOURCES := $(shell find app resources -type f -not -path '*/__pycache__/*' 2>/dev/null) main.py packaging/minsheng.spec

.PHONY: run test bench dist sysdeps browserdeps nsisdeps clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dist]'
	touch $(STAMP)

# Installs Qt's system libraries only when Qt cannot start without them.
sysdeps: $(STAMP)
	@if ! QT_QPA_PLATFORM=offscreen $(PY) -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1; then \
		echo "Qt cannot start: installing its system libraries"; \
		if command -v apt-get >/dev/null 2>&1; then \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(QT_DEBS) >/dev/null; \
		else \
			echo "Please install Qt 6's runtime libraries (EGL, GL, fontconfig, xkbcommon, dbus)"; exit 1; \
		fi; \
	fi

# Installs Debian's chromium and its driver only when they are missing (a clean CI machine).
browserdeps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v chromedriver >/dev/null 2>&1; then \
		echo "The public page's browser test needs chromium: installing it"; \
		if command -v apt-get >/dev/null 2>&1; then \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_DEBS) >/dev/null; \
		else \
			echo "Please install chromium and chromium-driver (the public page's browser test)"; exit 1; \
		fi; \
	fi

# Installs Debian's nsis only when makensis is missing.
nsisdeps:
	@if ! command -v makensis >/dev/null 2>&1; then \
		echo "The Windows installer script is compiled by makensis: installing nsis"; \
		if command -v apt-get >/dev/null 2>&1; then \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(NSIS_DEBS) >/dev/null; \
		else \
			echo "Please install NSIS (makensis) to build or test the Windows installer"; exit 1; \
		fi; \
	fi

run: sysdeps
	$(PY) main.py $(ARGS)

test: sysdeps browserdeps nsisdeps
	$(PY) -m ruff check app tests packaging
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(MAKE) dist

# The bundle is rebuilt when a source, a resource or the spec changed, then checked from a copy.
dist: $(DIST)/.checked

$(DIST)/.checked: $(STAMP) $(DIST_SOURCES)
	rm -f $@
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/minsheng.spec
	$(PY) packaging/check_bundle.py $(DIST)
	touch $@

bench: sysdeps dist
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build dist
