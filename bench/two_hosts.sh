#!/bin/sh
# Two web hosts and one Redis on this machine: the multi-host deployment in miniature.
#
#   sh bench/two_hosts.sh            # hosts on :8001 and :8002, Redis on :6390; Ctrl-C stops all
#   PORTS="8001 8002 8003" REDIS_PORT=6391 sh bench/two_hosts.sh
#
# Each host is the Procfile's web line with its own $PORT; all share PLANBOT_STATE_URL (one Redis)
# and PLANBOT_DB (one index file, built once). /healthz of each host shows the same index
# checksum. Put any HTTP load balancer in front (nginx, haproxy) to give LINE one URL; or post
# to the hosts in turn as the README shows. Needs /usr/bin/redis-server (`make test-deps`).
set -eu
cd "$(dirname "$0")/.."
PORTS=${PORTS:-"8001 8002"}
REDIS_PORT=${REDIS_PORT:-6390}
VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export PYTHAINLP_DATA=${PYTHAINLP_DATA:-$PWD/.pythainlp-data}
export PLANBOT_DB=${PLANBOT_DB:-$PWD/instance/index.db}
export PLANBOT_STATE_URL="redis://127.0.0.1:$REDIS_PORT/0"
WEB=$(sed -n 's/^web: //p' Procfile)
mkdir -p instance/redis

# Build the index once; every host reads this one file.
[ -f "$PLANBOT_DB" ] || python -m index rebuild --corpus corpus --db "$PLANBOT_DB"

pids=""
stop() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  wait
}
trap stop INT TERM EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$PWD/instance/redis" \
  --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save '' \
  >instance/redis/redis.log 2>&1 &
pids="$pids $!"

for port in $PORTS; do
  PORT=$port sh -c "exec $WEB" >"instance/web-$port.log" 2>&1 &
  pids="$pids $!"
done

for port in $PORTS; do
  tries=0
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -lt 300 ] || { echo "host :$port did not start; see instance/web-$port.log"; exit 1; }
    sleep 0.2
  done
  printf ":%s  " "$port"; curl -fs "http://127.0.0.1:$port/healthz"
done
echo "Serving on $PORTS with state on $PLANBOT_STATE_URL; Ctrl-C stops every process."
wait
