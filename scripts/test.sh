#!/usr/bin/env bash
# The full test suite: installs what is missing, starts one PostgreSQL cluster for the run,
# typechecks, runs every *.test.ts under test/ (tests mirror src/, see docs/architecture.md), and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
[ -x node_modules/.bin/tsx ] || npm ci --no-audit --no-fund

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d /tmp/coffre-test-pg.XXXXXX)
chown postgres:postgres "$PGDIR"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
stop_pg() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_connections=400" start >/dev/null
export COFFRE_TEST_PG_ADMIN_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
# A query that bypasses an open transaction fails (COFFRE_TRANSACTION_BYPASS) instead of hanging.
export COFFRE_STRICT_TRANSACTIONS=1

echo "== typecheck"
npx tsc --noEmit -p .

echo "== layers (.dependency-cruiser.cjs: the arrows of docs/architecture.md, no cycles)"
npx depcruise src --config .dependency-cruiser.cjs --output-type err

echo "== build (the CLI bundle the tests spawn)"
node scripts/build.mjs

echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
