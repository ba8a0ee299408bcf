"""The dashboard's background task: computing a period's figures (:mod:`.jobs`).

Queued with django-tasks; with the ``database`` backend the ``db_worker`` management command runs
it (docs/dashboard.md), with the ``immediate`` backend it runs inside the request that queued it.
"""

from __future__ import annotations

from django_tasks import task

from imsk.web.dashboard import jobs


@task()
def compute_figures(job_id: int) -> str:
    """Run one :class:`~.models.FigureJob`; returns its final state (``done`` or ``failed``)."""
    return jobs.run_figure_job(job_id)
