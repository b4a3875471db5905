#!/bin/sh
# Renders users.acl with the SHA-256 of each user's password from the environment:
#   REDIS_ADAPTER_PASSWORD, REDIS_RELAY_PASSWORD, REDIS_EXPORTER_PASSWORD, REDIS_ADMIN_PASSWORD
#   render-acl.sh TEMPLATE OUT
# Redis' ACL files have no comments: the template's `#` lines are dropped. Refuses a missing or empty
# password (an empty one would be a valid login).
set -eu
template="$1"
out="$2"

hash() {
  eval "pw=\${$1:-}"
  if [ -z "$pw" ]; then
    echo "render-acl.sh: $1 is not set (infra/.env)" >&2
    exit 1
  fi
  printf '%s' "$pw" | sha256sum | cut -d' ' -f1
}

adapter=$(hash REDIS_ADAPTER_PASSWORD)
relay=$(hash REDIS_RELAY_PASSWORD)
exporter=$(hash REDIS_EXPORTER_PASSWORD)
admin=$(hash REDIS_ADMIN_PASSWORD)
umask 077
sed -e '/^#/d' -e "s/@ADAPTER_SHA256@/$adapter/" -e "s/@RELAY_SHA256@/$relay/" \
  -e "s/@EXPORTER_SHA256@/$exporter/" -e "s/@ADMIN_SHA256@/$admin/" "$template" >"$out"
if grep -q '@[A-Z_]*_SHA256@' "$out"; then
  echo "render-acl.sh: $out still has a placeholder" >&2
  exit 1
fi
