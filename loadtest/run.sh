#!/usr/bin/env bash
# Load test near a deadline: 200 users for 2 minutes against gunicorn on PostgreSQL, loopback only.
#
#   loadtest/run.sh            # results in $OUT (default /tmp/benvung-loadtest)
#
# Creates the database $PGDB (dropped first!) on $PGURL, loads the demo data and the load-test
# accounts (REUSE_DB=1 keeps the previous run's), starts gunicorn on 127.0.0.1:$PORT with $WORKERS workers, runs locust headless,
# then checks that every write the server accepted is in the database.
set -euo pipefail
cd "$(dirname "$0")/.."
PGURL=${PGURL:-postgresql://postgres@127.0.0.1:5432}
PGDB=${PGDB:-benvung_loadtest}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-3}
USERS=${USERS:-200}
RUN_TIME=${RUN_TIME:-2m}
OUT=${OUT:-/tmp/benvung-loadtest}

mkdir -p "$OUT"
export BENVUNG_VAR_DIR="$OUT/var"
export DATABASE_URL="$PGURL/$PGDB"
export BENVUNG_SECRET_KEY=${BENVUNG_SECRET_KEY:-loadtest-only-secret-key-0123456789abcdef}
export BENVUNG_ALLOWED_HOSTS=127.0.0.1
export BENVUNG_LOG_LEVEL=ERROR
export LOADTEST_ACCOUNTS="$OUT/accounts.json"
export LOADTEST_WRITES="$OUT/accepted-writes.jsonl"

if [ -z "${REUSE_DB:-}" ]; then  # REUSE_DB=1: the database of the previous run
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB"
  python -m benvung.cli init --demo > "$OUT/init.log"
fi
python -m benvung.cli migrate -v0
python loadtest/setup_accounts.py "$LOADTEST_ACCOUNTS" --reporters 130 --coordinators 20

gunicorn benvung.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -s "http://127.0.0.1:$PORT/healthz" > "$OUT/healthz.json" && break
  sleep 1
done
cat "$OUT/healthz.json"; echo
# Warm every worker up (imports, URL conf, templates: seconds on a first request), as a
# server that has been running would be.
for _ in $(seq $((WORKERS * 4))); do
  for path in / /tin-tuc/ /tien-do/ /du-lieu-mo/ /tim-kiem/?q=nang+luong /accounts/login/; do
    curl -s -o /dev/null "http://127.0.0.1:$PORT$path"
  done
done

locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate 20 --run-time "$RUN_TIME" --stop-timeout 10 \
  --only-summary --csv "$OUT/locust" > "$OUT/locust.log" 2>&1 || true
tail -n 40 "$OUT/locust.log"

kill $SERVER
wait $SERVER 2>/dev/null || true
python loadtest/check_writes.py "$LOADTEST_WRITES"
