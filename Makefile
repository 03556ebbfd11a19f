# The two commands: `make site` builds the site, `make test` runs every test.
# Both set themselves up on a fresh machine: a virtual environment with pinned packages and
# Debian's CJK fonts; for the tests also Debian's chromium, a Java runtime, nginx, WordPress, PHP
# and MariaDB, and axe-core and the Nu HTML Checker from npm (docs/testing.md says why).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test check lint lock fonts browser wordpress nginx nginx-installed bench clean

PORT ?= 8080

## site: create .venv, install the pinned requirements and the engine (editable: .venv/bin/explainer)
##       and Debian's Noto CJK fonts when missing (for the PNG downloads), build into site/
site: $(STAMP) fonts
	$(BIN)/python build.py

## serve: live preview on http://127.0.0.1:8000/, rebuilt (incrementally) on every edit
serve: $(STAMP)
	$(BIN)/python build.py serve

## test: install what the tests need, then lint and run pytest (unit, site, nginx, WordPress and
##       browser tests) in random order (pytest-randomly prints the seed; repeat one with
##       -p randomly --randomly-seed=N), with one pytest-xdist worker per core and one more: the
##       browser tests spend much of their time waiting (on Chromium's frames, on the pages'
##       loads), and a third worker on 2 cores fills those gaps (measured
##       164-175 s -> 133-142 s); the tests that share a slow module fixture go to one worker,
##       heaviest work first (tests/scheduling.py)
test: $(STAMP) fonts browser nginx-installed wordpress node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -n $$(( $$(nproc) + 1 )) --dist loadgroup

## check: the quick loop: ruff check, ruff format --check, the engine's layers (lint-imports) and the tests that need no full build,
##        browser or server (no sudo); `make test` runs everything
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python -m pytest -q -m "not slow" -n auto --dist loadgroup

## nginx: build, then serve site/ with Debian's nginx and deploy/nginx.conf, in the foreground,
##        on http://127.0.0.1:$(PORT)/ (make nginx PORT=8081); Ctrl-C stops it
nginx: site nginx-installed
	$(BIN)/python -m deploy.nginx --site site --port $(PORT)

## bench: print figures, not a test: rebuild times against a plain mkdocs build, then every
##        page's bytes, requests and Lighthouse scores against the naive MkDocs Material +
##        static-i18n + vega-embed setup built from the same content
bench: $(STAMP) browser
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python benchmarks/rebuild.py
	$(BIN)/python benchmarks/pages.py

## lock: re-resolve requirements.in into the fully pinned requirements.txt (in a clean venv)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo "# Every package pinned, direct and transitive: generated from requirements.in by \`make lock\`."; \
	  .lock-venv/bin/pip freeze --all | grep -v '^pip=='; } > requirements.txt
	rm -rf .lock-venv

## lint: ruff check and ruff format --check only
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	# the engine itself, editable: .venv/bin/explainer runs this checkout's explainer/
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

## node_modules: axe-core, the Nu HTML Checker (vnu-jar) and @extractus/oembed-extractor (Ghost's oEmbed
##               library, tests/test_oembed_consumers.py), pinned in package-lock.json
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## fonts: Noto CJK, so the PNG downloads and share images render Chinese (vl-convert reads it);
##        English charts' Latin face (Source Sans Pro) is a pinned Python package, not a Debian one
fonts:
	@if ! ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; then \
		deploy/install-packages "the CJK fonts the PNG downloads are drawn with" fonts-noto-cjk; \
	fi

## browser: Debian's chromium and its headless shell (what the tests drive: a third less CPU;
##          Playwright's own download cannot work here), Noto CJK fonts, and a Java runtime for
##          the Nu HTML Checker
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromium-headless-shell >/dev/null 2>&1 || \
		! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		deploy/install-packages "the browser the tests drive" chromium chromium-headless-shell fonts-noto-cjk fontconfig; \
	fi
	@if ! command -v java >/dev/null 2>&1; then \
		deploy/install-packages "Java, for the Nu HTML Checker" default-jre-headless; \
	fi

## nginx-installed: Debian's nginx, with its brotli_static module where Debian has it
nginx-installed:
	@if ! [ -x /usr/sbin/nginx ] || { ! [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] && \
		apt-cache show libnginx-mod-http-brotli-static >/dev/null 2>&1; }; then \
		pkgs=nginx && \
		if apt-cache show libnginx-mod-http-brotli-static >/dev/null 2>&1; then pkgs="$$pkgs libnginx-mod-http-brotli-static"; fi && \
		deploy/install-packages "nginx, the server the tests publish to" $$pkgs; \
	fi

## wordpress: Debian's WordPress 6.1, PHP and MariaDB, for the test that embeds a chart in a real
##            WordPress post (tests/wordpress.py runs them on 127.0.0.1 from a temp folder); nginx
##            and php-cgi stand in for the Apache WordPress would otherwise bring
wordpress:
	@if [ ! -f /usr/share/wordpress/wp-settings.php ] || ! command -v mariadbd >/dev/null 2>&1 || ! command -v php >/dev/null 2>&1; then \
		deploy/install-packages "WordPress, PHP and MariaDB, for the embed test" \
			nginx php-cgi php-cli php-mysql mariadb-server wordpress -without apache2 apache2-bin; \
	fi

## clean: remove site/ (and .site.spare/, its last version's emptied folders), .cache/, .pytest_cache/, screenshots/ and node_modules/ (not .venv)
clean:
	rm -rf site .site.spare .cache .pytest_cache screenshots node_modules
