#!/usr/bin/env bash
# The Python client's suite (clients/python): installs the package into a fresh virtualenv of
# Debian's python3 that sees the system site-packages (httpx, pytest and the signature verifiers
# come from apt: scripts/setup-system.sh), with no package index at all (--no-index, the machine's
# pip configuration ignored), then runs pytest against a real `coffre serve` it starts and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=/usr/bin/python3
VENV=$(mktemp -d /tmp/coffre-pyclient.XXXXXX)
trap 'rm -rf "$VENV" clients/python/build clients/python/src/coffre.egg-info' EXIT
"$PYTHON" -m venv --system-site-packages "$VENV"
PIP_CONFIG_FILE=/dev/null "$VENV/bin/python" -m pip install --quiet --no-index --no-build-isolation --disable-pip-version-check ./clients/python
cd clients/python
COFFRE_PYTEST_INSTALLED=1 "$VENV/bin/python" -m pytest -q "$@"
