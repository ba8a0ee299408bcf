"""See On Symptom (SOS) and Patient Initiated Follow-Up (PIFU) windows (Wales specification 2.3).

SOS: the person is discharged when clinically safe and "relies on the patient to self-refer if there
are any issues with their condition within an agreed timeframe" (short-term conditions). PIFU: "the
patient and clinician agree that the patient initiates the next follow up when required" (usually
long-term conditions). Either way the exit records ``window_ends``, the last day (Europe/London) on
which the person may come back without a new referral, and the window is used at most once: a
return, or the nightly task after the last day, sets ``window_closed_at``.

The default windows are 182 days (SOS) and 365 days (PIFU), the numbers the service simulation uses
(``docs/simulation.md``); settings ``IMSK_SOS_WINDOW_DAYS`` / ``IMSK_PIFU_WINDOW_DAYS`` change them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from imsk.core.codes import ExitCode

#: Exit codes that open a window for a return.
WINDOW_CODES = frozenset({ExitCode.SEE_ON_SYMPTOM, ExitCode.PATIENT_INITIATED_FOLLOW_UP})


def default_window_days(code: ExitCode) -> int | None:
    """The default window length for ``code`` in days, or None when the code opens no window."""
    if code is ExitCode.SEE_ON_SYMPTOM:
        return int(settings.IMSK_SOS_WINDOW_DAYS)
    if code is ExitCode.PATIENT_INITIATED_FOLLOW_UP:
        return int(settings.IMSK_PIFU_WINDOW_DAYS)
    return None


def default_window_end(code: ExitCode, exit_day: date) -> date | None:
    """The last day of the default window for an exit on ``exit_day`` (None: no window)."""
    days = default_window_days(code)
    return None if days is None else exit_day + timedelta(days=days)


def is_return_allowed(*, window_ends: date | None, is_used: bool, today: date) -> bool:
    """A return is allowed iff there is a window, it is unused, and today is on or before its end."""
    return window_ends is not None and not is_used and today <= window_ends
