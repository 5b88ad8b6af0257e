# protolab: every target installs what it needs on a fresh Debian machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests drive as real outside parts, one line each (so parallel work merges):
TEST_DEBS := socat     # serial PTY pairs
TEST_DEBS += snmp      # net-snmp's snmpget/snmpwalk/snmptable
TEST_DEBS += snmpd     # the agent the SNMP manager is tested against (and benchmarked beside)
TEST_DEBS += tftp-hpa  # the TFTP client
TEST_DEBS += tshark    # reads captures, runs the Wireshark dissector (no setuid dumpcap question)
TEST_DEBS += prosody   # the XMPP server agent and portal talk through
TEST_DEBS += lua-unbound  # keeps prosodyctl from printing its DNS warning banner
TEST_DEBS += snmptrapd # receives the printers' traps and informs
TEST_DEBS += cups-daemon  # CUPS' snmp and socket backends
TEST_DEBS += hplip     # hp-makeuri
TEST_DEBS += prometheus-snmp-exporter
TEST_DEBS += monitoring-plugins-contrib  # check_printer_health, check_printer
TEST_DEBS += monitoring-plugins-standard  # check_snmp
TEST_DEBS += perl libnet-snmp-perl libmonitoring-plugin-perl libfile-slurp-perl libjson-perl  # their Perl
TEST_DEBS += iproute2  # the network namespace the CUPS/HPLIP tests run in
TEST_DEBS += chromium  # headless browser for the factory-default configuration page
TEST_DEBS += chromium-driver  # chromedriver, driven by selenium
TEST_DEBS += postgresql  # the portal's second database (tests start their own server)
BENCH_DEBS := $(TEST_DEBS)
RUN_DEBS := prosody lua-unbound  # the lab's XMPP server (without it the lab runs, unmonitored)
FUZZ_SECONDS ?= 20
FUZZ_CAMPAIGN_RUNS ?= 10000000
FUZZ_CAMPAIGN_SECONDS ?= 36000
FUZZ_CAMPAIGN_LOGS ?= fuzz-logs
FUZZ_JOBS ?= 2

.PHONY: test test-example run bench fuzz fuzz-campaign lint venv test-debs bench-debs run-debs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

define install_debs
	@missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  echo "wireshark-common wireshark-common/install-setuid boolean false" \
	    | $(SUDO) debconf-set-selections; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

test-debs:
	$(call install_debs,$(TEST_DEBS))

run-debs:
	$(call install_debs,$(RUN_DEBS))

bench-debs:
	$(call install_debs,$(BENCH_DEBS))

test: venv test-debs test-example
	$(PY) -m pytest -q

# protolab as a user gets it: a fresh virtualenv, the package installed (not editable) from a copy
# of this checkout (its tracked and new files: no stale build/ or .venv), then examples/gateway-tests
# installed and its own suite run there, away from the checkout's sources.
test-example:
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; mkdir "$$tmp/src"; \
	git ls-files -z -co --exclude-standard \
	  | tar -c --null -T - --ignore-failed-read -f - 2>/dev/null | tar -x -C "$$tmp/src"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	export PIP_DISABLE_PIP_VERSION_CHECK=1; "$$tmp/venv/bin/pip" install --quiet "$$tmp/src[pytest]"; \
	"$$tmp/venv/bin/pip" install --quiet "$$tmp/src/examples/gateway-tests[test]"; \
	cd "$$tmp/src/examples/gateway-tests" && "$$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider

run: venv run-debs
	$(VENV)/bin/protolab lab --config protolab/labs/demo.toml

bench: venv bench-debs
	$(PY) -m bench

fuzz: venv  # grows tests/fuzz_corpus/TARGET; breaking inputs land in tests/fuzz_crashes/TARGET
	$(PY) -m tools.fuzz --all --seconds $(FUZZ_SECONDS)

fuzz-campaign: venv  # up to FUZZ_CAMPAIGN_RUNS inputs per target (resumes); figures into BENCHMARKS.md
	nice -n 19 $(PY) -m tools.fuzz --all --jobs $(FUZZ_JOBS) --seconds $(FUZZ_CAMPAIGN_SECONDS) \
		--runs $(FUZZ_CAMPAIGN_RUNS) --log-dir $(FUZZ_CAMPAIGN_LOGS)
	$(PY) -m tools.fuzz.campaign_report $(FUZZ_CAMPAIGN_LOGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy protolab kantech_proto ekm_proto emulators tools

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
