"""What the demo's current picture says: the kinds of request, names, resources and feedback.

Plain data for :mod:`imsk.web.demo_today`. Each :class:`Profile` is a kind of request with the triage
facts that decide its pathway under rule set ``wales-2026-v1`` (checked by ``tests/web/
test_demo_today.py``): red flags the worklist puts first, urgent rehabilitation after an injury or an
operation (triage within WD(d, 1)), and routine requests onto assess and support or supported high
risk (WD(d, 3)). Names are common Welsh names; NHS numbers are drawn in the 999 range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from imsk.core.dataset.enums import FeedbackKind

#: Common Welsh first names and surnames.
_FIRST_NAMES = (
    "Rhys Siân Dafydd Megan Gethin Ffion Iwan Carys Owain Eleri Huw Bethan Llinos Gareth Elin "
    "Emyr Angharad Ioan Nerys Sioned Aled Catrin Geraint Lowri Tomos Mared Dylan Heledd"
)
_SURNAMES = (
    "Jones Davies Williams Evans Thomas Roberts Hughes Lewis Morgan Griffiths Price Rees Owen "
    "Powell Pritchard Jenkins Phillips Parry Edwards Howells"
)
FIRST = tuple(_FIRST_NAMES.split())
LAST = tuple(_SURNAMES.split())


@dataclass(frozen=True)
class Profile:
    """A kind of request: who sent it, what for, and the triage facts that decide its pathway."""

    source: str
    category: str | None
    code: str | None
    text: str
    facts: dict[str, Any] = field(default_factory=dict)
    age: tuple[int, int] = (25, 80)


def _p(
    source: str, category: str | None, code: str | None, text: str, ages: tuple[int, int] = (25, 80)
) -> Callable[..., Profile]:
    return lambda **facts: Profile(source, category, code, text, facts, ages)


DM, MO, RI = "diagnosis_and_management_opinion", "management_opinion", "rehabilitation_intervention"
#: Red flags: the worklist shows these first (a same-day action or a ticked flag).
RED_FLAG_PROFILES = (
    _p("gp", DM, None, "Back pain, new numbness in the saddle area and difficulty passing urine.")(
        red_flags=["saddle_anaesthesia", "bladder_disturbance"], high_pain=True
    ),
    _p(
        "gp", DM, "BACK.THORACIC", "Thoracic pain, worse at night; breast cancer in 2019.", (55, 85)
    )(red_flags=["history_of_cancer", "persistent_night_pain"]),
    _p(
        "urgent_primary_care", DM, None, "Fall on ice, osteoporosis, new wrist deformity.", (65, 90)
    )(red_flags=["minor_trauma_with_osteoporosis_or_steroids"]),
    _p(
        "gp",
        DM,
        "HANDWRIST.PAIN",
        "Swollen MCP joints of both hands for 8 weeks, morning stiffness.",
    )(red_flags=["suspected_persistent_synovitis"]),
)
#: Urgent without a red flag: a recent injury or operation needing rehabilitation.
URGENT_PROFILES = (
    _p("minor_injury_unit", RI, "FOOTANKLE.SPRAIN", "Inversion injury 10 days ago, needs rehab.")(
        recent_injury_requiring_rehab=True
    ),
    _p("subspecialty", RI, "REHAB.POSTOP", "Total knee replacement 3 weeks ago, rehab please.")(
        recent_surgery_requiring_rehab=True, start_msk="medium"
    ),
)
#: Routine requests onto the pathways seen in clinics.
ROUTINE_PROFILES = (
    _p("gp", MO, "BACK.CHRONIC", "Low back pain for 8 months, off work, poor sleep.")(
        start_back="high", orebro_at_risk=True, activation="low"
    ),
    _p("self", None, "KNEE.OA", "Knee pain on stairs for a year, would like exercise advice.")(
        start_msk="medium", activation="low"
    ),
    _p("gp", MO, "SHOULDER.PAIN", "Shoulder pain reaching overhead for 4 months.")(
        start_msk="medium"
    ),
    _p("primary_care_mdt", DM, "NECK.RADICULAR", "Neck and arm pain with pins and needles.")(
        start_msk="high", high_pain=True, unable_to_work_or_care=True
    ),
    _p("self", None, "FOOTANKLE.PF", "Heel pain first thing in the morning for 6 months.")(
        start_msk="medium", activation="low"
    ),
    _p("gp", DM, "HIP.PAIN", "Lateral hip pain, cannot lie on that side.")(start_msk="medium"),
    _p("nhs111", DM, "BACK.RADICULAR", "Leg pain below the knee for 7 weeks.")(
        start_back="medium", high_pain=True
    ),
    _p("self", None, "KNEE.PFP", "Knee pain when running, otherwise well.")(
        start_msk="low", activation="high"
    ),
    _p("other", MO, "WIDESPREAD.CHRONIC_PAIN", "Widespread pain for years, struggling to cope.")(
        start_msk="high", disturbed_sleep=True, significant_loss_of_function=True
    ),
)
#: Onto the waiting lists (assess and support, supported high risk), by the engine's suggestion.
WAITING_PROFILES = tuple(p for p in ROUTINE_PROFILES if p.code != "KNEE.PFP")

RESOURCES: tuple[dict[str, Any], ...] = (
    {
        "slug": "low-back-pain-keep-moving",
        "title": "Low back pain: keep moving",
        "title_cy": "Poen cefn isel: daliwch ati i symud",
        "summary": "Why staying active helps back pain settle, and simple exercises to start.",
        "summary_cy": "Pam mae cadw'n heini yn helpu poen cefn i setlo, ac ymarferion syml i ddechrau.",
        "body": "Most back pain gets better within six weeks. Keep moving, little and often.",
        "body_cy": "Mae'r rhan fwyaf o boen cefn yn gwella o fewn chwe wythnos. Symudwch yn aml.",
        "published": True,
    },
    {
        "slug": "knee-pain-exercises",
        "title": "Knee pain: strengthening exercises",
        "title_cy": "Poen pen-glin: ymarferion cryfhau",
        "summary": "Exercises that reduce knee osteoarthritis pain over 6 to 12 weeks.",
        "summary_cy": "Ymarferion sy'n lleihau poen osteoarthritis y pen-glin dros 6 i 12 wythnos.",
        "body": "Strong thigh muscles protect the knee. Do these exercises three times a week.",
        "body_cy": "Mae cyhyrau clun cryf yn amddiffyn y pen-glin. Ymarferwch dair gwaith yr wythnos.",
        "published": True,
    },
    {
        "slug": "escape-pain",
        "title": "ESCAPE-pain classes",
        "title_cy": "Dosbarthiadau ESCAPE-pain",
        "summary": "A six-week group class for knee and hip pain, run by our physiotherapists.",
        "summary_cy": "Dosbarth grŵp chwe wythnos i bobl â phoen pen-glin a chlun.",
        "body": "Twelve sessions of education and exercise. Ask your clinician to book a place.",
        "body_cy": "Deuddeg sesiwn o addysg ac ymarfer. Gofynnwch i'ch clinigydd archebu lle.",
        "published": True,
    },
)
FEEDBACK = (
    (
        FeedbackKind.COMPLAINT.value,
        "waiting time",
        "Waited 18 weeks for a first appointment with knee pain and was not told why.",
    ),
    (
        FeedbackKind.COMPLIMENT.value,
        "treatment",
        "The physiotherapist explained my back pain clearly; I am back at work.",
    ),
)
