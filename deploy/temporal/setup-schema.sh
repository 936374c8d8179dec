#!/bin/sh
# One-shot in temporalio/admin-tools, before the Temporal server starts: creates or upgrades
# Temporal's schema in the databases that deploy/postgres/init-databases.sh created. Idempotent.
# Connection settings come from SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD.
set -eu

for target in temporal:temporal temporal_visibility:visibility; do
  db=${target%%:*}
  echo "temporal-schema: $db"
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-name "postgresql/v12/${target#*:}"
done
echo "temporal-schema: done"
