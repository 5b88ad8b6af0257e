# protolab: every target installs what it needs on a fresh Debian machine with Python 3.11.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests drive as real outside parts: socat (serial PTY pairs),
# snmp (net-snmp's snmpget/snmpwalk/snmptable), snmpd (the agent the SNMP manager is tested
# against), tftp-hpa (the TFTP client); for the printers: snmptrapd (receives their traps and
# informs), cups-daemon (CUPS' snmp and socket backends), hplip (hp-makeuri),
# prometheus-snmp-exporter, and iproute2 (the network namespace the CUPS/HPLIP tests run in).
# Installing the printer clients takes about 30 s (71 packages, measured on 2 cores).
TEST_DEBS := socat snmp snmpd tftp-hpa snmptrapd cups-daemon hplip prometheus-snmp-exporter \
	iproute2
# the benchmarks also run net-snmp's snmpd side by side (already in TEST_DEBS)
BENCH_DEBS := $(TEST_DEBS)
FUZZ_SECONDS ?= 20

.PHONY: test run bench fuzz lint venv test-debs bench-debs clean

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
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

test-debs:
	$(call install_debs,$(TEST_DEBS))

bench-debs:
	$(call install_debs,$(BENCH_DEBS))

test: venv test-debs
	$(PY) -m pytest -q

run: venv
	$(VENV)/bin/protolab lab

bench: venv bench-debs
	$(PY) -m bench

fuzz: venv
	$(PY) -m tools.fuzz --all --seconds $(FUZZ_SECONDS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy protolab kantech_proto ekm_proto emulators tools

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
