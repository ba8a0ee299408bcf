"""Settings for the worklist benchmark: production settings, static URLs without a manifest.

Production serves static files from a collected, hashed manifest (``collectstatic``); the benchmark
renders pages without collecting them, so it uses the plain storage (a URL either way: the cost of a
manifest look-up is a dictionary read).
"""

from imsk.web.settings import *  # noqa: F403
from imsk.web.settings import STORAGES

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
