#!/usr/bin/env bash
# `make demo`: trains the demo models from real data, starts maasd on 127.0.0.1:8080 with the embedded
# defaults (SQLite + local disk under ./maas-data), registers the models, prints what to try, and keeps the
# server in the foreground until Ctrl-C.
set -euo pipefail
BIN_DIR=${1:-build/bin}
DATA_DIR=${MAAS_DATA_DIR:-./maas-data}
LISTEN=${MAAS_LISTEN:-127.0.0.1:8080}
SERVER="http://${LISTEN}"
export MAAS_SERVER="$SERVER"

mkdir -p "$DATA_DIR"
/usr/bin/python3 scripts/make_demo_models.py "$DATA_DIR/demo-models"

rm -f "$DATA_DIR/maasd.addr"
"$BIN_DIR/maasd" --listen "$LISTEN" --data-dir "$DATA_DIR" --port-file "$DATA_DIR/maasd.addr" --log-format text &
MAASD_PID=$!
trap 'kill -TERM $MAASD_PID 2>/dev/null; wait $MAASD_PID 2>/dev/null' INT TERM EXIT
for _ in $(seq 1 100); do
  [ -s "$DATA_DIR/maasd.addr" ] && break
  kill -0 $MAASD_PID 2>/dev/null || { echo "maasd failed to start" >&2; exit 1; }
  sleep 0.1
done

# Every endpoint but health checks needs a key. maasd makes the first admin key at its first start and keeps it in
# the data dir (mode 0600); MAAS_ADMIN_KEY, when set, is the admin key instead.
if [ -n "${MAAS_ADMIN_KEY:-}" ]; then
  MAAS_API_KEY=$MAAS_ADMIN_KEY
elif [ -s "$DATA_DIR/admin.key" ]; then
  MAAS_API_KEY=$(cat "$DATA_DIR/admin.key")
else
  echo "demo: $DATA_DIR/admin.key is gone; set MAAS_ADMIN_KEY to the admin key, or remove $DATA_DIR to start afresh" >&2
  exit 1
fi
export MAAS_API_KEY

register() {  # model file framework description
  local model=$1 file=$2 framework=$3 description=$4
  if "$BIN_DIR/maas" versions show "$model" latest >/dev/null 2>&1; then
    echo "demo: $model already registered"
    return
  fi
  "$BIN_DIR/maas" models create "$model" --description "$description" --tag source=sklearn >/dev/null 2>&1 || true
  "$BIN_DIR/maas" upload "$file" --model "$model" --framework "$framework"
  "$BIN_DIR/maas" alias set "$model" champion 1
  "$BIN_DIR/maas" versions update "$model" 1 --state ready --reason "demo model" >/dev/null
}
register breast-cancer "$DATA_DIR/demo-models/breast-cancer.json" xgboost \
  "XGBoost binary classifier on the Wisconsin breast cancer data set"
register iris "$DATA_DIR/demo-models/iris.ubj" xgboost "XGBoost 3-class classifier on the iris data set"

register iris-onnx "$DATA_DIR/demo-models/iris-logreg.onnx" onnx "scikit-learn logistic regression on iris, as ONNX"
# A second iris version: what the services below split traffic to and roll out as a canary.
if ! "$BIN_DIR/maas" versions show iris 2 >/dev/null 2>&1; then
  "$BIN_DIR/maas" upload "$DATA_DIR/demo-models/iris-v2.ubj" --model iris --framework xgboost
  "$BIN_DIR/maas" versions update iris 2 --state ready --reason "deeper trees, candidate" >/dev/null
fi

api() {  # method path [json]
  curl -sf -X "$1" "$SERVER$2" -H "Authorization: Bearer $MAAS_API_KEY" -H "Content-Type: application/json" ${3:+-d "$3"}
}
ready() { curl -sf "$SERVER/v2/models/$1/versions/$2/ready" -H "Authorization: Bearer $MAAS_API_KEY" >/dev/null; }

# A dataset: scikit-learn's copy of the UCI wine data (shipped as a CSV whose first line is its shape), with its
# column names, imported through the API; the train alias names it.
WINE=/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv
if [ -f "$WINE" ] && ! api GET /api/v1/datasets/wine >/dev/null 2>&1; then
  api POST /api/v1/datasets '{"name": "wine", "description": "UCI wine recognition data (from scikit-learn)"}' >/dev/null
  { echo "alcohol,malic_acid,ash,alcalinity_of_ash,magnesium,total_phenols,flavanoids,nonflavanoid_phenols,proanthocyanins,color_intensity,hue,od280_od315,proline,class"
    tail -n +2 "$WINE"; } | curl -sf -X POST "$SERVER/api/v1/datasets/wine/versions?filename=wine.csv&tag=source:sklearn" \
      -H "Authorization: Bearer $MAAS_API_KEY" -H "Content-Type: text/csv" --data-binary @- >/dev/null \
    && api PUT /api/v1/datasets/wine/aliases/train '{"version": 1}' >/dev/null \
    && echo "demo: dataset wine (178 rows, profiled)" || echo "demo: the wine dataset did not import (see maasd's log)" >&2
fi

# A finished job: the artifact store re-verified in a maas-job process, with progress and logs. Run before the
# models load: jobs get the CPU slots serving does not use, and on 2 cores the loaded workers use them all.
if ! api GET '/api/v1/jobs?kind=artifacts.verify&limit=1' | grep -q '"j-' \
    && JOB=$(api POST /api/v1/jobs '{"kind": "artifacts.verify"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'); then
  for _ in $(seq 1 300); do
    api GET "/api/v1/jobs/$JOB" | grep -Eq '"state": ?"(succeeded|failed|cancelled)"' && break
    sleep 0.1
  done
  echo "demo: job $JOB (artifacts.verify) $(api GET "/api/v1/jobs/$JOB" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
fi

for model in breast-cancer iris iris-onnx; do
  # On a second start the services below are restored first and may be loading iris already (409): wait for it.
  api POST "/v2/repository/models/$model/load" \
    '{"parameters": {"version": "1", "config": {"max_batch_size": 32, "max_queue_delay_us": 1000}}}' >/dev/null || true
  for _ in $(seq 1 300); do ready "$model" 1 && break; sleep 0.2; done
  ready "$model" 1 || { echo "demo: loading $model failed" >&2; exit 1; }
  echo "demo: $model loaded into its worker"
done

# Services: a 90/10 split, and a canary that moves to iris v2 step by step while traffic flows.
api GET /api/v1/services/flowers >/dev/null 2>&1 || api POST /api/v1/services \
  '{"name": "flowers", "routes": [{"model": "iris", "version": "1", "weight": 90}, {"model": "iris", "version": "2", "weight": 10}]}' >/dev/null
api GET /api/v1/services/flowers-canary >/dev/null 2>&1 || api POST /api/v1/services \
  '{"name": "flowers-canary", "routes": [{"model": "iris", "version": "1"}], "canary": {"model": "iris", "version": "2",
    "steps": [10, 50, 100], "interval_seconds": 30, "min_requests": 20, "max_error_rate": 0.05, "max_p99_ms": 1000}}' >/dev/null
echo "demo: services flowers (90/10 split) and flowers-canary (canary to iris v2)"
# An alert rule over maasd's own metrics.
api PUT /api/v1/alerts/rules/demo '{"name": "demo", "rules": [{"alert": "InferenceErrors",
  "expr": "sum by (model) (rate(maas_inference_requests_total{code!=\"200\"}[5m])) > 0", "for": "1m",
  "labels": {"severity": "ticket"}, "annotations": {"summary": "{{ $labels.model }} answers errors"}}]}' >/dev/null
echo "demo: alert rule group 'demo'"

# A tiny language model (random weights, a real tokenizer: it answers, though not sensibly) behind the OpenAI API,
# when this build has the LLM engine.
REAL_BIN=$(dirname "$(readlink -f "$BIN_DIR/maasd")")
if [ -x "$REAL_BIN/maas-tiny-gguf" ] && [ -f "$REAL_BIN/backends/libmaas_backend_gguf.so" ]; then
  [ -s "$DATA_DIR/demo-models/tiny-chat.gguf" ] || "$REAL_BIN/maas-tiny-gguf" --out "$DATA_DIR/demo-models/tiny-chat.gguf" \
    --layers 2 --width 64 --context 2048 --name tiny-chat >/dev/null
  register tiny-chat "$DATA_DIR/demo-models/tiny-chat.gguf" gguf "a tiny random-weight llama: the chat playground's demo"
  api POST /v2/repository/models/tiny-chat/load \
    '{"parameters": {"config": {"threads": 1, "max_sequences": 2, "context": 512}}}' >/dev/null \
    && echo "demo: tiny-chat loaded (OpenAI API: $SERVER/v1)" || echo "demo: tiny-chat did not load (see maasd's log)" >&2
fi

# Some traffic, so that the overview, the logs and the canary have something to show.
ROWS='{"inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}]}'
for _ in $(seq 1 30); do
  api POST /v2/models/flowers/infer "$ROWS" >/dev/null || true
  api POST /v2/models/flowers-canary/infer "$ROWS" >/dev/null || true
done

cat <<MSG

maasd is running on $SERVER with demo models (data in $DATA_DIR).

  The console:  $SERVER/ui/
  Its key:      $MAAS_API_KEY
  (admin; paste it on the login page. Try: Overview, Models > iris, the Debugger on iris v1 compared with v2,
   Services > flowers-canary while traffic flows, Logs, Chat with tiny-chat, Datasets > wine > v1 for its
   profile and preview, Jobs for the store's verification and its log.)

In another shell, with the admin key:

  export MAAS_SERVER=$SERVER MAAS_API_KEY=\$(cat $DATA_DIR/admin.key)
  curl -s -H "Authorization: Bearer \$MAAS_API_KEY" $SERVER/api/v1/models | python3 -m json.tool
  curl -s -H "Authorization: Bearer \$MAAS_API_KEY" $SERVER/api/v1/models/iris@champion | python3 -m json.tool
  curl -s -H "Authorization: Bearer \$MAAS_API_KEY" $SERVER/v2/models/iris/infer -d '{"inputs": [{"name": "input",
       "shape": [2, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}]}'
  curl -s -H "Authorization: Bearer \$MAAS_API_KEY" $SERVER/v2/models/iris/stats
  curl -s -H "Authorization: Bearer \$MAAS_API_KEY" $SERVER/metrics | grep maas_model_requests_total
  $BIN_DIR/maas models list
  $BIN_DIR/maas versions list breast-cancer
  $BIN_DIR/maas ps
  $BIN_DIR/maas infer iris --input 'input=[[5.1, 3.5, 1.4, 0.2]]'
  $BIN_DIR/maas upload path/to/model.onnx --model my-model

Press Ctrl-C to stop.
MSG
wait $MAASD_PID
