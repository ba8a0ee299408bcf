"""WSGI entry point: ``gunicorn imsk.web.wsgi`` (or any WSGI server)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imsk.web.settings")

application = get_wsgi_application()
