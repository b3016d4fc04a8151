#!/usr/bin/env bash
# Serve the explorer from N Streamlit processes behind nginx with sticky sessions, on one port:
#   bash scripts/serve_many.sh 2            # http://localhost:8501, app processes on 8502 and 8503
#   PORT=9000 bash scripts/serve_many.sh 4  # proxy on 9000, app processes on 9001-9004
# Installs the app's requirements on first run; needs Debian's nginx (apt-get install -y nginx). Ctrl-C stops all.
# Each app process is pinned to a core of its own (taskset, round the machine's cores; PIN=0 leaves them unpinned):
# a process's event loop and script thread then share one core, which served ~1.9x one process with two processes on
# 2 cores instead of ~1.5x unpinned (deploy/CAPACITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2}"
port="${PORT:-8501}"
address="${ADDRESS:-0.0.0.0}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ ! -x "$nginx_bin" ]; then
  echo "nginx not found: install it with 'apt-get install -y nginx'" >&2
  exit 1
fi
bash scripts/setup.sh requirements.txt

run_dir="$(mktemp -d -t serve-many-XXXXXX)"
chmod 755 "$run_dir"
pids=()
stop() {
  trap - INT TERM EXIT
  stopping=1
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap stop INT TERM EXIT

cores=($(.venv/bin/python -c "import os; print(*sorted(os.sched_getaffinity(0)))"))
upstreams=""
for i in $(seq 1 "$count"); do
  app_port=$((port + i))
  pin=()
  if [ "${PIN:-1}" != 0 ] && [ "$count" -gt 1 ] && command -v taskset >/dev/null; then
    pin=(taskset -c "${cores[$(((i - 1) % ${#cores[@]}))]}")
  fi
  "${pin[@]}" .venv/bin/python -m streamlit run server.py --server.address 127.0.0.1 --server.port "$app_port" \
    --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false \
    >"$run_dir/app-$app_port.log" 2>&1 &
  pids+=("$!")
  upstreams="${upstreams}server 127.0.0.1:${app_port}; "
done
for i in $(seq 1 "$count"); do
  app_port=$((port + i))
  for _ in $(seq 1 180); do
    if .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$app_port/_stcore/health', timeout=1)" \
      2>/dev/null; then break; fi
    sleep 0.5
  done
done

sed -e "s|@LISTEN_PORT@|$address:$port|" -e "s|@UPSTREAM_SERVERS@|$upstreams|" \
  deploy/nginx/streamlit.conf.template >"$run_dir/streamlit.conf"
sed -e "s|@RUN_DIR@|$run_dir|g" deploy/nginx/nginx-local.conf.template >"$run_dir/nginx.conf"
"$nginx_bin" -p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/error.log" &
pids+=("$!")
echo "Serving on http://localhost:$port from $count processes (ports $((port + 1))-$((port + count))); logs in $run_dir. Ctrl-C stops all."
wait -n "${pids[@]}" || true
if [ -z "${stopping:-}" ]; then echo "a process exited (logs in $run_dir); stopping the rest" >&2; fi
