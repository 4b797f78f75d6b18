#!/bin/sh
# Fill in deploy/nginx/pioneer.conf's placeholders for the compose network, then run nginx.
set -e
mkdir -p /var/cache/nginx/pioneer /var/cache/nginx/pioneer-answers
sed -e "s|@LISTEN@|80|" -e "s|@SERVER_NAME@|${SERVER_NAME:-_}|" \
    -e "s|@UPSTREAM@|web:8000|" -e "s|@STATIC_ROOT@|/srv/pioneer/static|" \
    -e "s|@MEDIA_ROOT@|/srv/pioneer/media|" -e "s|@CACHE_DIR@|/var/cache/nginx/pioneer|" \
    -e "s|@PURGE_LISTEN@|8081|" /etc/nginx/pioneer.conf.template > /etc/nginx/conf.d/pioneer.conf
# The PURGE server accepts the compose network (the web and worker containers), not only loopback.
sed -i "s|    allow 127.0.0.1;|    allow 127.0.0.1;\n    allow ${PURGE_ALLOW:-172.16.0.0/12};|" /etc/nginx/conf.d/pioneer.conf
exec nginx -g "daemon off;"
