#!/bin/sh
# One-shot in temporalio/admin-tools, once the Temporal server is up: creates the namespace Herald
# uses and Herald's search attributes (Herald also registers missing ones at start). Idempotent.
set -eu

address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${TEMPORAL_NAMESPACE:-default}
deadline=$(( $(date +%s) + ${SETUP_TIMEOUT_SECONDS:-300} ))

# retry DESCRIPTION COMMAND...: runs COMMAND until it succeeds or its output says "already exists".
retry() {
  what=$1; shift
  while :; do
    if out=$("$@" 2>&1); then echo "temporal-setup: $what: done"; return 0; fi
    case $out in *"already exists"*|*"AlreadyExists"*) echo "temporal-setup: $what: already exists"; return 0 ;; esac
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "temporal-setup: $what: giving up: $out" >&2
      exit 1
    fi
    sleep 3
  done
}

retry "server at $address" temporal operator cluster health --address "$address"
if ! temporal operator namespace describe --namespace "$namespace" --address "$address" >/dev/null 2>&1; then
  retry "namespace $namespace" temporal operator namespace create --namespace "$namespace" --retention 168h --address "$address"
fi
for attribute in HeraldTenantId:Keyword HeraldSubscriptionId:Keyword HeraldEventType:Keyword \
                 HeraldDeliveryStatus:Keyword HeraldAttempts:Int; do
  retry "search attribute $attribute" temporal operator search-attribute create \
    --namespace "$namespace" --name "${attribute%%:*}" --type "${attribute#*:}" --address "$address"
done
temporal operator search-attribute list --namespace "$namespace" --address "$address"
