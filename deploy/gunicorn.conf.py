"""gunicorn settings for 时代先锋网 (used by deploy/systemd/pioneer-web.service).

`gunicorn -c deploy/gunicorn.conf.py pioneer.wsgi:application`; every value can be
overridden from the environment so one file serves a small and a large machine.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "unix:/run/pioneer/gunicorn.sock")
# A worker per core plus one keeps the CPU busy. Two threads each (gunicorn's gthread
# worker): while one request waits on PostgreSQL, Redis or the search engine, the other
# runs, and connections stay open between requests (nginx keeps a pool of them; a sync
# worker closes each after one answer). bench/http_load.py, 2 workers, load average 3-5
# on the shared 2-core machine: home 175 requests/s (sync: 126), lesson 162 (146), lesson
# index 174 (152); the machine's neighbours make single figures move by a third.
# The site's per-process caches are thread-safe (pioneer.caching.generation); each thread
# keeps its own database connection. WEB_THREADS=1 gives sync workers again.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 2))
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow growth (caches, fragmentation) never builds up.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# Load the site once in the master, then fork: workers share its memory pages.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
