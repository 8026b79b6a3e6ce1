#!/usr/bin/env bash
# The post-deployment checklist as one script: prints PASS, FAIL or SKIP per check and exits non-zero when
# any check fails.
#
#   docker/verify-deployment.sh                 # production: everything in Docker on a GPU server
#   docker/verify-deployment.sh --dev           # development: Ollama native on this host
#   docker/verify-deployment.sh --scale         # production with workers (docker-compose.scale.yml)
#
# Options:
#   --dev                    Ollama runs on the host (ollama ps and /api/tags are asked there)
#   --scale                  also check RabbitMQ, that each worker is connected to it, and that each worker's
#                            Ollama runs the extraction model 100% on its GPU
#   --backend-url URL        the backend as seen from here (default http://localhost:8080)
#   --ollama-url URL         the host's Ollama in --dev mode (default http://localhost:11434)
#   --question TEXT          the question of the RAG check
#   --min-tokens-per-second N  generation speed below which the check fails (default 40)
#   --timeout SECONDS        how long the RAG query may take (default 120)
# Environment: OLLAMA_CONTAINER, NEO4J_CONTAINER, BACKEND_CONTAINER (default rag-ollama-prod, rag-neo4j-prod,
# rag-backend-prod; in --dev the containers of the Compose services neo4j and backend), OLLAMA_MODEL
# (default: the model the backend reports in /api/health); with --scale RABBITMQ_CONTAINER (default
# rag-rabbitmq-scale), DIVETEACHER_PARTITION_QUEUE (default diveteacher.partitions), and the workers are the
# running containers named rag-worker-N, each with its Ollama in rag-ollama-N.
set -euo pipefail

dev=false
scale=false
backend_url="http://localhost:8080"
ollama_url="http://localhost:11434"
question="How long and at what depth should a safety stop be made?"
min_tps=40
timeout=120

usage() {
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dev) dev=true ;;
    --scale) scale=true ;;
    --backend-url) backend_url="${2:?--backend-url needs a URL}"; shift ;;
    --ollama-url) ollama_url="${2:?--ollama-url needs a URL}"; shift ;;
    --question) question="${2:?--question needs a text}"; shift ;;
    --min-tokens-per-second) min_tps="${2:?--min-tokens-per-second needs a number}"; shift ;;
    --timeout) timeout="${2:?--timeout needs a number of seconds}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

failures=0
pass() { printf 'PASS  %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
skip() { printf 'SKIP  %s\n' "$1"; }

# check_on_gpu LABEL PS_OUTPUT: passes when the output of `ollama ps` lists $model at 100% GPU.
check_on_gpu() {
  local line processor
  line="$(grep -F "$model" <<<"$2" | head -n 1 || true)"
  if [ -z "$line" ]; then
    fail "$1 does not list $model (not loaded?): ${2:0:300}"
  elif grep -q "100% GPU" <<<"$line"; then
    pass "$1: $model runs 100% on the GPU"
  else
    processor="$(grep -o '[0-9]*%[/0-9%]* *[A-Z/]*GPU\|[0-9]*% CPU' <<<"$line" | head -n 1 || true)"
    fail "$1: $model runs on ${processor:-the CPU}, not 100% GPU (NVIDIA Container Toolkit? see docker/README.md)"
  fi
}

# The first value of a JSON field in a compact JSON text (no jq on most servers): json_field name < json
# prints nothing (and succeeds) when the field is not there.
json_field() {
  { grep -o "\"$1\":\(\"[^\"]*\"\|[-0-9.eE]*\|true\|false\|null\)" || true; } | head -n 1 | sed "s/^\"$1\"://; s/^\"//; s/\"$//"
}

container_of() { # service name -> container name
  local service="$1" fixed="$2"
  if [ "$dev" = true ]; then
    docker ps --filter "label=com.docker.compose.service=$service" --format '{{.Names}}' | head -n 1
  else
    echo "$fixed"
  fi
}

ollama_container="${OLLAMA_CONTAINER:-rag-ollama-prod}"
neo4j_container="$(container_of neo4j "${NEO4J_CONTAINER:-rag-neo4j-prod}")"
backend_container="$(container_of backend "${BACKEND_CONTAINER:-rag-backend-prod}")"

# 1. Containers up and healthy
containers=("$neo4j_container" "$backend_container")
[ "$dev" = true ] || containers=("$ollama_container" "${containers[@]}")
for container in "${containers[@]}"; do
  if [ -z "$container" ]; then
    fail "container: not found (is the Compose project up?)"
    continue
  fi
  state="$(docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' "$container" 2>/dev/null || echo "missing")"
  if [ "$state" = "running healthy" ]; then
    pass "container $container is running and healthy"
  else
    fail "container $container: $state (docker logs $container)"
  fi
done

# 2. Ollama's API answers /api/tags
if [ "$dev" = true ]; then
  if tags="$(curl -fsS -m 10 "$ollama_url/api/tags" 2>&1)"; then
    pass "Ollama answers $ollama_url/api/tags ($(grep -o '"name"' <<<"$tags" | wc -l | tr -d ' ') models)"
  else
    fail "Ollama does not answer $ollama_url/api/tags: $tags"
  fi
else
  if models="$(docker exec "$ollama_container" ollama list 2>&1)"; then
    pass "Ollama answers /api/tags in $ollama_container ($(($(wc -l <<<"$models") - 1)) models)"
  else
    fail "Ollama does not answer /api/tags in $ollama_container: $models"
  fi
fi

# 3. The backend reaches Ollama through the Docker network (the URL it is configured with)
if reach="$(docker exec "$backend_container" sh -c 'curl -fsS -m 10 "$OLLAMA_BASE_URL/api/version"' 2>&1)"; then
  pass "backend reaches Ollama at its OLLAMA_BASE_URL (version $(json_field version <<<"$reach"))"
else
  fail "backend cannot reach Ollama at its OLLAMA_BASE_URL: $reach"
fi

# 4. /api/health is healthy
health="$(curl -sS -m 15 "$backend_url/api/health" 2>&1 || true)"
status="$(json_field status <<<"$health")"
if [ "$status" = "healthy" ]; then
  pass "backend /api/health is healthy"
else
  fail "backend /api/health is ${status:-not answering}: ${health:0:400}"
fi
model="${OLLAMA_MODEL:-$(json_field ollama_model <<<"$health")}"
model="${model:-qwen2.5:7b-instruct-q8_0}"

# 5. A RAG query answers with sources in time, and 6. generation speed from that answer
started=$(date +%s)
if answer="$(curl -fsS -m "$timeout" -H 'Content-Type: application/json' \
      -d "{\"question\": \"${question//\"/\\\"}\"}" "$backend_url/api/query" 2>&1)"; then
  elapsed=$(( $(date +%s) - started ))
  sources="$(json_field num_sources <<<"$answer")"
  if [ -n "$sources" ] && [ "$sources" -gt 0 ]; then
    pass "RAG query answered with $sources source(s) in ${elapsed} s (limit ${timeout} s)"
  else
    fail "RAG query answered without sources in ${elapsed} s: are documents ingested? ${answer:0:300}"
  fi
  tps="$(json_field tokens_per_second <<<"$answer")"
  if [ -z "$tps" ] || [ "$tps" = "null" ]; then
    fail "generation speed: the answer has no timings.tokens_per_second (no generation model answered)"
  elif awk -v a="$tps" -v b="$min_tps" 'BEGIN { exit !(a + 0 >= b + 0) }'; then
    pass "generation speed $tps tokens/s (threshold $min_tps)"
  else
    fail "generation speed $tps tokens/s is below $min_tps: is the model on the GPU? (see docker/README.md)"
  fi
else
  fail "RAG query did not answer within ${timeout} s: ${answer:0:300}"
  fail "generation speed: no answer to measure"
fi

# 7. The generation model runs 100% on the GPU, as ollama ps shows it
if [ "$dev" = true ]; then
  ps_output="$(ollama ps 2>&1 || true)"
else
  ps_output="$(docker exec "$ollama_container" ollama ps 2>&1 || true)"
fi
check_on_gpu "ollama ps" "$ps_output"

# 8. nvidia-smi sees the Ollama process
if ! command -v nvidia-smi >/dev/null 2>&1; then
  skip "nvidia-smi is not installed here: GPU processes not checked"
elif apps="$(nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv,noheader 2>&1)"; then
  if grep -qi "ollama" <<<"$apps"; then
    pass "nvidia-smi sees Ollama on the GPU ($(grep -i ollama <<<"$apps" | head -n 1 | tr -s ' '))"
  else
    fail "nvidia-smi does not see an Ollama process: ${apps:-no compute processes}"
  fi
else
  fail "nvidia-smi failed: $apps"
fi

# 9. Scale-out: the broker, each worker connected to it, each worker's Ollama on its GPU
if [ "$scale" = true ]; then
  rabbit="${RABBITMQ_CONTAINER:-rag-rabbitmq-scale}"
  queue="${DIVETEACHER_PARTITION_QUEUE:-diveteacher.partitions}"
  if out="$(docker exec "$rabbit" rabbitmq-diagnostics -q check_running 2>&1)"; then
    pass "RabbitMQ runs in $rabbit"
  else
    fail "RabbitMQ does not run in $rabbit: ${out:0:300}"
  fi
  workers=()
  while IFS= read -r name; do
    [ -n "$name" ] && workers+=("$name")
  done < <(docker ps --filter "name=rag-worker-" --format '{{.Names}}' | sort)
  if [ "${#workers[@]}" -eq 0 ]; then
    fail "no worker container (rag-worker-N) is running"
  fi
  if listed="$(docker exec "$rabbit" rabbitmqctl -q list_queues name consumers messages 2>&1)"; then
    row="$(awk -v q="$queue" '$1 == q { print $2, $3 }' <<<"$listed")"
    if [ -z "$row" ]; then
      fail "RabbitMQ has no queue $queue yet (is a worker or the manager up?)"
    else
      read -r consumers waiting <<<"$row"
      if [ "$consumers" -ge "${#workers[@]}" ] && [ "$consumers" -gt 0 ]; then
        pass "queue $queue: $consumers consumer(s) for ${#workers[@]} worker(s), $waiting partition(s) waiting"
      else
        fail "queue $queue: $consumers consumer(s) for ${#workers[@]} worker(s): a worker is not consuming"
      fi
    fi
  else
    fail "rabbitmqctl list_queues failed in $rabbit: ${listed:0:300}"
  fi
  for worker in "${workers[@]}"; do
    health="$(docker exec "$worker" sh -c 'curl -sS -m 10 "http://127.0.0.1:${MANAGEMENT_PORT:-8081}/actuator/health"' 2>&1 || true)"
    broker="$(grep -o '"broker":{"status":"[A-Z]*"' <<<"$health" | head -n 1 | sed 's/.*"status":"//; s/"$//' || true)"
    if [ "$broker" = "UP" ]; then
      pass "worker $worker is connected to RabbitMQ (health $(json_field status <<<"$health"))"
    else
      fail "worker $worker is not connected to RabbitMQ (broker ${broker:-unknown}): ${health:0:300}"
    fi
    n="${worker##*-}"
    worker_ollama="rag-ollama-$n"
    # Load the model with an empty request (Ollama loads a model for an empty prompt), then ask where it runs.
    docker exec "$worker" sh -c "curl -sS -m 300 -o /dev/null \"\$OLLAMA_BASE_URL/api/generate\" -d '{\"model\": \"$model\"}'" >/dev/null 2>&1 || true
    ps_output="$(docker exec "$worker_ollama" ollama ps 2>&1 || true)"
    check_on_gpu "ollama ps in $worker_ollama" "$ps_output"
  done
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "All checks passed"
