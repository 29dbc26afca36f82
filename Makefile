# saleor-aftersales: every target does its own set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aftersales
export REDIS_URL ?= redis://127.0.0.1:6379/7
SALEOR_PYTHON ?=
# Saleor's own test database (test_<name>), created once and reused between runs.
SALEOR_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/saleor
SALEOR_TESTS ?= .

.PHONY: install test test-fast test-saleor test-saleor-peer test-saleor-if-configured bench-hooks bench-tracking chaos demo lint migrations browser lighthouse screenshots clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -e '.[dev,demo]'
	$(PY) -m django compilemessages --ignore '$(VENV)/*' --settings=demo.settings >/dev/null
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium, Node.js and a Java runtime for the page checks (no browser download);
# axe-core, the W3C Nu checker (vnu-jar) and Lighthouse from the npm registry (package-lock.json).
NODE_STAMP := node_modules/.installed
browser:
	@missing=""; \
	 command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	 command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	 command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	 if [ -n "$$missing" ]; then \
	   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	   || echo "could not install$$missing: the browser checks that need them will be skipped"; fi
	@$(MAKE) -s --no-print-directory $(NODE_STAMP) \
	  || echo "npm ci failed: accessibility, markup and Lighthouse checks will be skipped"

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# Lighthouse on a demo status page, mobile and desktop (scores in the README's benchmark table).
lighthouse: install browser
	$(PY) -m bench.lighthouse

# The status page (en, de; phone, desktop) and three emails from the demo, as PNG in docs/.
screenshots: install browser
	$(PY) -m tools.screenshots --out docs

test: install browser
	$(PY) -m django compilemessages --ignore '$(VENV)/*' --settings=demo.settings >/dev/null
	$(PY) -m pytest -q
	@$(MAKE) --no-print-directory test-saleor-if-configured

test-fast: install
	$(PY) -m pytest -q -m "not browser and not worker"

test-saleor-if-configured:
	@if [ -n "$(SALEOR_PYTHON)" ]; then $(MAKE) --no-print-directory test-saleor; \
	 else echo "Saleor integration suite skipped: set SALEOR_PYTHON to a Saleor 3.23 interpreter (see README)."; fi

# Saleor integration suite: the plugin is installed into SALEOR_PYTHON's environment.
test-saleor:
	@test -n "$(SALEOR_PYTHON)" || { echo "set SALEOR_PYTHON to the python of a Saleor 3.23 environment"; exit 2; }
	$(SALEOR_PYTHON) -m pip install --quiet --no-deps -e .
	$(SALEOR_PYTHON) -m pip install --quiet premailer holidays aiosmtpd playwright
	$(SALEOR_PYTHON) -m django compilemessages --ignore '$(VENV)/*' --settings=demo.settings >/dev/null 2>&1 || true
	cd tests/saleor && SALEOR_ROOT="$$($(SALEOR_PYTHON) -c 'import saleor,os;print(os.path.dirname(os.path.dirname(saleor.__file__)))')" \
	  DATABASE_URL=$(SALEOR_DATABASE_URL) REDIS_URL= $(SALEOR_PYTHON) -m pytest -q --reuse-db -c pytest.ini $(SALEOR_TESTS)

# Saleor's own suites with this plugin installed and active in every channel (from Saleor's
# source directory, Saleor's pytest configuration, the same reused test database). The pytest
# plugin tests/saleor/peer/aftersales_peer.py adds ours to every PLUGINS a test sets.
SALEOR_PEER_SUITES ?= saleor/checkout/tests/test_checkout_complete.py \
  saleor/graphql/checkout/tests/mutations/test_checkout_complete*.py \
  saleor/graphql/order/tests/mutations/test_fulfillment_*.py \
  saleor/graphql/order/tests/mutations/test_order_fulfill.py \
  saleor/graphql/order/tests/mutations/test_order_capture.py \
  saleor/graphql/order/tests/mutations/test_order_confirm.py \
  saleor/graphql/order/tests/queries/test_order.py \
  saleor/order/tests saleor/plugins/tests
# xdist workers (0 = one process); each gets a copy of Saleor's test database.
SALEOR_PEER_WORKERS ?= 2
test-saleor-peer:
	@test -n "$(SALEOR_PYTHON)" || { echo "set SALEOR_PYTHON to the python of a Saleor 3.23 environment"; exit 2; }
	$(SALEOR_PYTHON) -m pip install --quiet --no-deps -e .
	$(SALEOR_PYTHON) -m pip install --quiet premailer holidays aiosmtpd
	@if [ "$(SALEOR_PEER_WORKERS)" != 0 ]; then $(SALEOR_PYTHON) tests/saleor/peer/clone_test_db.py $(SALEOR_DATABASE_URL) $(SALEOR_PEER_WORKERS); fi
	cd "$$($(SALEOR_PYTHON) -c 'import saleor,os;print(os.path.dirname(os.path.dirname(saleor.__file__)))')" && \
	  PYTHONPATH=$(CURDIR)/tests/saleor/peer DATABASE_URL=$(SALEOR_DATABASE_URL) REDIS_URL= \
	  $(SALEOR_PYTHON) -m pytest -q --reuse-db -p aftersales_peer -p no:cacheprovider \
	  -n $(SALEOR_PEER_WORKERS) $(SALEOR_PEER_SUITES)

# Hook overhead in checkoutComplete (needs SALEOR_PYTHON, like test-saleor).
bench-hooks:
	@test -n "$(SALEOR_PYTHON)" || { echo "set SALEOR_PYTHON to the python of a Saleor 3.23 environment"; exit 2; }
	$(SALEOR_PYTHON) -m pip install --quiet --no-deps -e .
	DATABASE_URL=$(SALEOR_DATABASE_URL) $(SALEOR_PYTHON) bench/hook_overhead.py

# Poll throughput (parcels/s) and carrier calls per delivered parcel (PostgreSQL + Redis).
bench-tracking: install
	$(PY) bench/tracking.py

# Orders through a real worker, RabbitMQ, Redis, SMTP and a carrier API while the broker,
# SMTP, Redis, the carrier and the worker fail on a seeded schedule (bench/chaos.py).
CHAOS_ORDERS ?= 1000
CHAOS_SEED ?= 20261130
chaos: install
	$(PY) -m bench.chaos --orders $(CHAOS_ORDERS) --seed $(CHAOS_SEED)

# The sample shop on an embedded PostgreSQL (no service needed); prints "Demo index: <url>".
# `make demo PLAY=1` also moves the sample journeys forward every PLAY_EVERY seconds.
PLAY_EVERY ?= 15
demo: install
	$(if $(PLAY),AFTERSALES_DEMO_PLAY=$(PLAY_EVERY) )$(PY) -m demo.run

# Every email in English and German, rendered with sample data, for review in a browser.
emails: install
	$(PY) -m django compilemessages --ignore '$(VENV)/*' --settings=demo.settings >/dev/null
	$(PY) -m django aftersales_render_emails --settings=demo.settings --out demo/out/emails-review

lint: install
	$(PY) -m ruff check saleor_aftersales sandbox tests demo bench tools
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m django makemigrations --check --dry-run --settings=demo.settings saleor_aftersales aftersales_sandbox

# Regenerate migrations after a model change (the initial migration until the first release).
migrations: install
	$(PY) -m django makemigrations --settings=demo.settings saleor_aftersales aftersales_sandbox

clean:
	rm -rf $(VENV) demo/out build dist *.egg-info
