#!/usr/bin/env bash
# Installs the system packages Coffre's tests and services need, only when missing.
# Idempotent; safe on a fresh Debian 12 machine (run as root, no stdin).
set -euo pipefail
need=()
have_pg() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_pg || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v chromium >/dev/null || need+=(chromium)
# The Python client's suite (scripts/test-python.sh) runs on Debian's python3 and apt packages only.
/usr/bin/python3 -c 'import venv, ensurepip, setuptools, wheel, httpx, pytest, ecdsa, Cryptodome, nacl, base58, cryptography' 2>/dev/null ||
  need+=(python3-venv python3-pip python3-setuptools python3-wheel python3-httpx python3-pytest python3-ecdsa python3-pycryptodome python3-nacl python3-base58 python3-cryptography)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup-system: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Python's moto serves a local AWS KMS for the aws-kms provider tests.
python3 -c 'import moto' 2>/dev/null || pip install -q 'moto[server]' || echo "setup-system: moto unavailable" >&2
