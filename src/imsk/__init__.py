"""imsk: an integrated musculoskeletal (MSK) service platform.

The package is built in rings (see ``docs/architecture.md``): ``imsk.core`` is pure rules and values;
``imsk.dataio``, ``imsk.analytics``, ``imsk.synth``, ``imsk.sim`` and ``imsk.planning`` work on data without
Django; ``imsk.web`` is the Django application; ``imsk.cli`` is the ``imsk`` command.
"""

__version__ = "0.1.0"
