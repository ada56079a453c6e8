#!/usr/bin/env bash
# Runs once, when the postgres container starts on an empty volume (docker-entrypoint-initdb.d).
# POSTGRES_DB (the portals' database) and POSTGRES_USER exist by then; this adds the endpoint's own
# database (the endpoint is a portal too, and keeps its own pipelines apart) and Keycloak's database
# with a user of its own, so Keycloak cannot read the portals' tables.
set -euo pipefail
: "${KEYCLOAK_DB_PASSWORD:?KEYCLOAK_DB_PASSWORD must be set for the postgres service}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set endpoint_db="${CLICKLOG_ENDPOINT_DB:-clicklog_endpoint}" \
    --set owner="$POSTGRES_USER" \
    --set keycloak_password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE DATABASE :"endpoint_db" OWNER :"owner";
CREATE USER keycloak WITH PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
SQL
