"""imsk.web: the Django project of the MSK service platform.

Thin apps (``accounts``, ``audit``; the clinical apps join them) whose ``services.py`` modules are the
only writers: each service opens the transaction, saves, and writes its audit row in that same
transaction (``imsk.web.audit.services.record``). Settings come from the environment
(``imsk.web.env``); see ``docs/web.md``.
"""
