#!/bin/sh
# Run once by the postgres image when its volume is first created
# (/docker-entrypoint-initdb.d): one database and one owner per service, so the API
# cannot read MLflow's tables nor MLflow the store's, and neither is a superuser.
#
#   STORE_DB_PASSWORD, MLFLOW_DB_PASSWORD  the two owners' passwords (required)
#   STORE_DB, MLFLOW_DB                    names (default value_assist, mlflow);
#                                          each is both the database and its owner
set -eu

: "${STORE_DB_PASSWORD:?set STORE_DB_PASSWORD}"
: "${MLFLOW_DB_PASSWORD:?set MLFLOW_DB_PASSWORD}"

psql --set ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
    --dbname postgres \
    --set store="${STORE_DB:-value_assist}" \
    --set store_password="$STORE_DB_PASSWORD" \
    --set tracking="${MLFLOW_DB:-mlflow}" \
    --set tracking_password="$MLFLOW_DB_PASSWORD" <<'SQL'
CREATE ROLE :"store" LOGIN PASSWORD :'store_password';
CREATE DATABASE :"store" OWNER :"store";
REVOKE ALL ON DATABASE :"store" FROM PUBLIC;
CREATE ROLE :"tracking" LOGIN PASSWORD :'tracking_password';
CREATE DATABASE :"tracking" OWNER :"tracking";
REVOKE ALL ON DATABASE :"tracking" FROM PUBLIC;
SQL
