"""gunicorn's settings for the AKT web app: ``gunicorn -c deploy/gunicorn.conf.py``.

Every value can be changed from the environment, so one file serves every machine:

- ``AKT_BIND``: the address to listen on (default ``127.0.0.1:8000``; a reverse proxy in front
  terminates TLS);
- ``AKT_WEB_WORKERS``: worker processes (default 4; about two per core);
- ``AKT_WEB_THREADS``: threads per worker (default 4: a quick page is served beside a workbook
  being written in the same worker rather than queued behind it; what the threads share is
  locked: the drawing of charts, the registry prepared for matching);
- ``AKT_WEB_TIMEOUT``: seconds a request may take before its worker is restarted (default 60;
  long work such as reports runs in the background worker, not in a request).
"""

from __future__ import annotations

import os

wsgi_app = "akt.wsgi:application"
bind = os.environ.get("AKT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("AKT_WEB_WORKERS", "4"))
threads = int(os.environ.get("AKT_WEB_THREADS", "4"))
timeout = int(os.environ.get("AKT_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# The app is loaded once, before the workers are forked: they start warm and share its memory.
# (Django opens no database connection while loading, so none is shared across the fork.)
preload_app = True
keepalive = 5

# A worker is replaced after this many requests (with jitter, so not all at once): memory a
# long-lived process gathers is given back.
max_requests = 2000
max_requests_jitter = 200

# Access and error logs to standard output, for journald or the container's log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("AKT_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("AKT_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Each worker prepares what matching an uploaded sheet against the registry of persons
    needs (``akt.linkage.suggestions.warm_up``), in a thread as it starts serving: otherwise the
    first upload a new worker serves waits seconds for it. ``AKT_WARM_LINKAGE=false`` skips it
    (``settings.WARM_LINKAGE``)."""
    import threading

    from django.conf import settings

    if not settings.WARM_LINKAGE:
        return

    def warm() -> None:
        from django.db import connections

        try:
            from akt.linkage.suggestions import warm_up

            warm_up()
        except Exception:  # the first upload prepares it instead
            worker.log.exception("Preparing the registry for matching failed")  # type: ignore[attr-defined]
        finally:
            connections.close_all()  # the thread's own connection

    threading.Thread(target=warm, name="akt-warm-linkage", daemon=True).start()
