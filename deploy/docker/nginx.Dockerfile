# nginx with the cache-purge module the site's front cache needs (Debian's package).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx libnginx-mod-http-cache-purge \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
COPY deploy/nginx/pioneer.conf /etc/nginx/pioneer.conf.template
COPY deploy/nginx/fill /usr/local/bin/pioneer-nginx-fill
COPY deploy/docker/nginx-entrypoint.sh /nginx-entrypoint.sh
EXPOSE 80
CMD ["/bin/sh", "/nginx-entrypoint.sh"]
