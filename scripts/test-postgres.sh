#!/usr/bin/env bash
# The integration suite on PostgreSQL: a throwaway cluster of its own (.tmp/pg-test, fresh each
# run, stopped at the end even on failure), a fresh database per test server. Arguments go to
# vitest (default: tests/integration and tests/e2e/failover.test.ts). `npm run test:postgres` runs it; so does .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
export LAJNA_PG_DIR=.tmp/pg-test

trap 'bash scripts/postgres.sh stop' EXIT
trap 'exit 130' INT TERM
bash scripts/postgres.sh destroy >/dev/null 2>&1
url=$(bash scripts/postgres.sh start) || exit 1
# The integration suite, and the browser test that needs several nodes on PostgreSQL (HAProxy in front).
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(tests/integration tests/e2e/failover.test.ts)
TEST_POSTGRES_URL=$url npx vitest run "${args[@]}"
