#!/usr/bin/env bash
# Run once by the postgres image (docker-entrypoint-initdb.d), when its data volume is empty:
# Herald's database and Temporal's two databases, each owned by its own role. Changing a
# password later in the environment does not change it here: use ALTER ROLE, or start afresh
# with `docker compose down -v`.
set -eo pipefail
: "${HERALD_DB_PASSWORD:?HERALD_DB_PASSWORD must be set}" "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
  -v herald_password="$HERALD_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE herald LOGIN PASSWORD :'herald_password';
CREATE DATABASE herald OWNER herald;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
-- Temporal's visibility schema wants btree_gin; create it here so that its role needs no more rights.
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
SQL
