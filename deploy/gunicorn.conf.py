"""Gunicorn settings for one Thaw app server behind the balancer (docs/deployment.md).

Run by deploy/systemd/thaw.service as
`gunicorn --config deploy/gunicorn.conf.py config.wsgi`; the environment file
(/etc/thaw/thaw.env) says where to listen and how many workers to run.
tests/multiserver/ starts its app servers with this very file.
"""

import multiprocessing
import os

# The private address the balancer reaches (never a public one: the app believes the
# balancer's X-Forwarded-* headers).
bind = os.environ.get("THAW_BIND", "127.0.0.1:8000")
# Sync workers, each one request at a time; a request spends part of its time waiting
# for PostgreSQL over the network, so twice the cores keeps them busy.
worker_class = "sync"
workers = int(os.environ.get("THAW_WORKERS", 2 * multiprocessing.cpu_count()))
# A request still running after this is ended and its worker replaced (the balancer
# waits a little longer, deploy/haproxy.cfg).
timeout = 120
# On SIGTERM (systemctl stop/restart) requests in flight finish first, up to this long.
graceful_timeout = 30
backlog = 2048
# Workers load the code themselves (no preload), so `systemctl reload thaw` (SIGHUP)
# replaces them one by one with the new code.
preload_app = False
# Errors to the journal; access is logged once, by the balancer.
errorlog = "-"
loglevel = "warning"
# The balancer's address: gunicorn believes its X-Forwarded-Proto (wsgi.url_scheme).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")
