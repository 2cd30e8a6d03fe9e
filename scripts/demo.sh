#!/usr/bin/env bash
# The main job on the embedded default (SQLite + local root key file under ./.coffre/):
# initialise the vault if needed, make sure the demo user exists and print its addresses, then
# serve the API and dashboard on 127.0.0.1:8787 (Ctrl-C drains in-flight requests and stops).
# COFFRE_DEMO_TELEGRAM_ID / COFFRE_DEMO_USERNAME pick the demo user; COFFRE_NO_SERVE=1 stops after it.
set -euo pipefail
cd "$(dirname "$0")/.."
coffre() { node bin/coffre.js "$@"; }
coffre init
coffre users create --telegram-id "${COFFRE_DEMO_TELEGRAM_ID:-1000001}" --username "${COFFRE_DEMO_USERNAME:-demo}"
[ "${COFFRE_NO_SERVE:-0}" = "1" ] && exit 0
exec node bin/coffre.js serve "$@"
