"""The pure core of imsk: coded values, questionnaire scoring, the working-day calendar, triage rules
and the MSK service data set schema.

Nothing here performs I/O, reads the clock or imports Django or a data engine: callers pass in "today",
the calendar and any file contents. import-linter enforces this (``pyproject.toml``).
"""
