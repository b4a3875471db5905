#!/bin/sh
# The redis container's command: renders the ACL file, hands the TLS files to the redis user, then starts
# redis-server through the image's entrypoint (which drops to the redis user).
set -eu
mkdir -p /run/redis
sh /usr/local/etc/redis/render-acl.sh /usr/local/etc/redis/users.acl /run/redis/users.acl
for f in ca.crt redis.crt redis.key; do
  if [ ! -f "/tls/$f" ]; then
    echo "start.sh: /tls/$f is missing: run infra/tls/make-certs.sh first" >&2
    exit 1
  fi
  cp "/tls/$f" "/run/redis/$f"
done
chown -R redis:redis /run/redis
chmod 0600 /run/redis/redis.key /run/redis/users.acl
exec docker-entrypoint.sh redis-server /usr/local/etc/redis/redis.conf
