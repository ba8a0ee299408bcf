"""Coded values: condition, activity and exit codes (Wales specification 4.3 and 5).

The specification asks that every request carries a condition code from the earliest opportunity,
updated as diagnosis proceeds, and that activity (investigations, interventions, supportive treatment)
and exits (discharge, See On Symptom, Patient Initiated Follow-Up) are coded. National condition codes
are "still to be agreed", so code lists are versioned data: version 1 ships with imsk
(from ``shared/spec``) and an administrator can load a new version without a code change.
"""

from imsk.core.codes.lists import (
    ActivityCode,
    ActivityKind,
    CodeList,
    ConditionCode,
    ExitCode,
    parse_activity_codes,
    parse_condition_codes,
)
from imsk.core.codes.snomed import is_valid_sctid

__all__ = [
    "ActivityCode",
    "ActivityKind",
    "CodeList",
    "ConditionCode",
    "ExitCode",
    "is_valid_sctid",
    "parse_activity_codes",
    "parse_condition_codes",
]
