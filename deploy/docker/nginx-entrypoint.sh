#!/bin/sh
# Fill in deploy/nginx/pioneer.conf's placeholders for the compose network, then run nginx.
set -e
mkdir -p /var/cache/nginx/pioneer /var/cache/nginx/pioneer-answers
# UPSTREAMS: the app servers, comma-separated (default the compose service "web", whose
# name nginx resolves to every replica of `docker compose up --scale web=N` when it starts).
# The placeholders: @LISTEN@, @SERVER_NAME@, @UPSTREAM@, @STATIC_ROOT@, @MEDIA_ROOT@,
# @CACHE_DIR@, @PURGE_LISTEN@.
/usr/local/bin/pioneer-nginx-fill /etc/nginx/pioneer.conf.template \
    LISTEN=80 "SERVER_NAME=${SERVER_NAME:-_}" "UPSTREAM=${UPSTREAMS:-web:8000}" \
    STATIC_ROOT=/srv/pioneer/static MEDIA_ROOT=/srv/pioneer/media \
    CACHE_DIR=/var/cache/nginx/pioneer PURGE_LISTEN=8081 > /etc/nginx/conf.d/pioneer.conf
# The PURGE server accepts the compose network (the web and worker containers), not only loopback.
sed -i "s|    allow 127.0.0.1;|    allow 127.0.0.1;\n    allow ${PURGE_ALLOW:-172.16.0.0/12};|" /etc/nginx/conf.d/pioneer.conf
exec nginx -g "daemon off;"
