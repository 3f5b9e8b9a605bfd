#!/bin/sh
# The stack's one-shot setup job (compose service `init`; a Kubernetes Job the same way):
# migrations, the starter playbook, the team's history in the store, and a first
# champion model trained on the Dask cluster and registered through the MLflow server.
#
# Safe to run again: migrations and the playbook import skip what is done, re-importing
# history updates rows in place, and nothing is trained once the alias has a version.
#
#   INIT_HISTORY_DIR            import-format history: interactions.csv (or .parquet) and
#                               outcomes.csv; default $VALUE_ASSIST_DATA_DIR/history
#   INIT_SIMULATE_INTERACTIONS  when the history is missing, simulate a demo world of this
#                               many interactions instead (0, the default: do not)
#   DASK_SCHEDULER_ADDRESS      where to train: tcp://HOST:8786, or local (default)
set -eu

HISTORY_DIR="${INIT_HISTORY_DIR:-${VALUE_ASSIST_DATA_DIR:-data}/history}"
SIMULATE="${INIT_SIMULATE_INTERACTIONS:-0}"
DASK="${DASK_SCHEDULER_ADDRESS:-local}"
ALIAS="${VALUE_ASSIST_MODEL_ALIAS:-champion}"

echo "== database migrations"
value-assist db upgrade

echo "== starter playbook"
value-assist playbooks import

echo "== model registry"
versions="$(value-assist models)"
echo "$versions"
if printf '%s\n' "$versions" | grep -qw -- "$ALIAS"; then
    echo "the $ALIAS alias already points at a version: nothing to train"
    exit 0
fi

interactions=""
for candidate in "$HISTORY_DIR/interactions.csv" "$HISTORY_DIR/interactions.parquet"; do
    if [ -e "$candidate" ]; then
        interactions="$candidate"
        break
    fi
done
if [ -z "$interactions" ]; then
    if [ "$SIMULATE" -gt 0 ]; then
        echo "== no history in $HISTORY_DIR: simulating a demo world of $SIMULATE interactions"
        value-assist simulate --out "$HISTORY_DIR" --interactions "$SIMULATE"
        interactions="$HISTORY_DIR/interactions.csv"
    else
        echo "no history in $HISTORY_DIR (interactions.csv or .parquet): nothing to train." >&2
        echo "The API answers without a model (degraded: model_unavailable) until one is" >&2
        echo "trained; import history and run this job again." >&2
        exit 0
    fi
fi
outcomes="${interactions%/interactions.*}/outcomes.${interactions##*.}"

echo "== importing $interactions into the store"
if [ -e "$outcomes" ]; then
    value-assist import --interactions "$interactions" --outcomes "$outcomes"
else
    value-assist import --interactions "$interactions"
fi

echo "== training the first model on Dask ($DASK)"
value-assist train --dask "$DASK" --promote
