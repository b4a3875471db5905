#!/bin/sh
# Makes a private CA and a Redis server certificate signed by it, for Redis' TLS port (6380):
#   infra/tls/make-certs.sh [NAME ...]
# NAME: each DNS name or IP address clients use to reach Redis, e.g. the public name the Windows adapter dials
# (redis.example.com, 203.0.113.7). `redis` (the compose service), `localhost` and 127.0.0.1 are always in.
# Writes into this script's directory (or TLS_DIR): ca.crt, ca.key, redis.crt, redis.key. An existing CA is
# kept, so clients that trust ca.crt keep working when the server certificate is made again (e.g. a new NAME).
# Copy only ca.crt to clients (NODE_EXTRA_CA_CERTS); ca.key signs certificates: keep it off the servers.
set -eu

dir="${TLS_DIR:-$(cd "$(dirname "$0")" && pwd)}"
days="${TLS_DAYS:-825}"
cd "$dir"
umask 077

san="DNS:redis,DNS:localhost,IP:127.0.0.1"
for name in "$@"; do
  case "$name" in
    *[!0-9.]*) case "$name" in *:*) san="$san,IP:$name" ;; *) san="$san,DNS:$name" ;; esac ;;
    *) san="$san,IP:$name" ;;
  esac
done

if [ ! -f ca.key ] || [ ! -f ca.crt ]; then
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 3650 \
    -keyout ca.key -out ca.crt -subj "/CN=minutebar private CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  echo "made CA: $dir/ca.crt"
fi

openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout redis.key -out redis.csr -subj "/CN=minutebar redis"
printf '%s\n' \
  "subjectAltName=$san" \
  "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" >redis.ext
openssl x509 -req -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
  -extfile redis.ext -out redis.crt
rm -f redis.csr redis.ext ca.srl
# The certificates are public; the keys stay 0600 (infra/redis/start.sh hands redis.key to the redis user).
chmod 0644 ca.crt redis.crt
echo "made server certificate: $dir/redis.crt for $san (valid $days days)"
