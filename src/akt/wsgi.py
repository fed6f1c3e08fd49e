"""WSGI entry point for a production server (for example ``gunicorn akt.wsgi``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akt.settings")
application = get_wsgi_application()
