#!/bin/bash
# Train one variant from an empty cache (timed), then the realistic set and the held-out NLU sets.
# usage: run_variant.sh NAME CONFIG RASA_PORT ACTION_PORT [--no-train]   (run from the project folder)
set -u
name=$1; config=$2; rport=$3; aport=$4
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 TQDM_DISABLE=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
logs=tools/experiments/logs; mkdir -p $logs models results
if [ "${5:-}" != "--no-train" ]; then
  rm -rf .rasa
  s=$(date +%s.%N)
  .venv/bin/rasa train --config "$config" --fixed-model-name current --out models > $logs/train-$name.log 2>&1
  rc=$?; e=$(date +%s.%N)
  echo "$name train rc=$rc wall=$(echo "$e - $s" | bc) start=$(date -d @${s%.*} +%T) loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> $logs/times.txt
  [ $rc = 0 ] || exit 1
  cp models/current.tar.gz models/$name.tar.gz
fi
E2E_RASA_PORT=$rport E2E_ACTION_PORT=$aport .venv/bin/python -m tests.realistic.evaluate > /tmp/realistic-$name.txt 2>&1  # quotes the frozen set: kept out of the repository
echo "$name realistic rc=$?" >> $logs/times.txt
cp results/realistic.json results/realistic-$name.json
for lang in es en fr ht; do
  .venv/bin/rasa test nlu --model models/current.tar.gz --nlu tests/nlu/$lang.yml --out results/nlu-$name-$lang > $logs/nlu-$name-$lang.log 2>&1
done
.venv/bin/python tools/check_nlu_f1.py --min-f1 0.90 results/nlu-$name-es results/nlu-$name-en results/nlu-$name-fr results/nlu-$name-ht > $logs/nlu-f1-$name.txt 2>&1
echo "$name nlu rc=$?" >> $logs/times.txt
