#!/usr/bin/env bash
# The main job on the embedded default: initialise a vault under ./.coffre/ (SQLite + local root
# key file) and create a demo user, printing its addresses.
set -euo pipefail
cd "$(dirname "$0")/.."
coffre() { node bin/coffre.js "$@"; }
coffre init
coffre users create --telegram-id "${COFFRE_DEMO_TELEGRAM_ID:-1000001}" --username "${COFFRE_DEMO_USERNAME:-demo}"
