"""Settings for the intake benchmark: the site's settings with persistent database connections.

``imsk.web.settings`` opens a new PostgreSQL connection for every request (``CONN_MAX_AGE`` 0, the
Django default). The benchmark measures both that and persistent connections (``--persistent``).
"""

from imsk.web.settings import *  # noqa: F403
from imsk.web.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
