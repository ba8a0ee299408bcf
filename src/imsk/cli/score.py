"""``imsk score``: score one questionnaire from its response codes and print the result as JSON.

Examples::

    imsk score msk_hq 2 3 2 3 1 2 2 3 1 2 2 3 2 2
    imsk score msk_hq 0 0 0 0 0 0 0 0 0 0 0 0 0 0 --positions
    imsk score msk_hq 2 3 2 3 1 2 2 3 1 2 2 3 2 2 --baseline 24
    imsk score eq5d5l 21232 --vas 70 --value-set england_5l_devlin_2018
    imsk score eq5d5l 21232 --value-set uk_3l_nice_dsu_mapping --mapping dsu.csv --age 40 --sex female
    imsk score start_msk 7 --cutoffs 4 8
    imsk score fft 1 1 2 6 4        # several responses: the summary (n, % positive, % negative)
    imsk score prem 1 2 - 9 3 --prem-definition my-prem.json

An unanswered item is written ``-``. The output always names the instrument version and, for EQ-5D,
the value set. Bad input raises an ImskError naming the item (``imsk: error: ...``, exit status 2).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from imsk.core.errors import ScoringError
from imsk.core.instruments import (
    INSTRUMENTS,
    eq5d,
    fft,
    msk_hq,
    orebro,
    prem,
    start_back,
    start_msk,
)
from imsk.core.instruments.eq5d_mapping import sex_named
from imsk.core.instruments.result import UNANSWERED_MARK, parse_codes
from imsk.dataio.eq5d_tables import read_crosswalk, read_dsu_mapping

OPTION_SCOPE: dict[str, tuple[str, frozenset[str]]] = {
    "value_set": ("--value-set", frozenset({"eq5d5l"})),
    "crosswalk": ("--crosswalk", frozenset({"eq5d5l"})),
    "mapping": ("--mapping", frozenset({"eq5d5l"})),
    "age": ("--age", frozenset({"eq5d5l"})),
    "sex": ("--sex", frozenset({"eq5d5l"})),
    "vas": ("--vas", frozenset({"eq5d5l"})),
    "positions": ("--positions", frozenset({"msk_hq"})),
    "baseline": ("--baseline", frozenset({"msk_hq"})),
    "mcid": ("--mcid", frozenset({"msk_hq"})),
    "cutoffs": ("--cutoffs", frozenset({"start_msk", "orebro_sf"})),
    "prem_definition": ("--prem-definition", frozenset({"prem"})),
    "summary": ("--summary", frozenset({"fft"})),
}
"""Which instruments each option applies to: an option given to another instrument is an error."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a questionnaire (MSK-HQ, EQ-5D, STarT Back/MSK, Örebro, FFT, PREM)",
        description="Score one questionnaire's response codes; prints JSON.",
    )
    parser.add_argument("instrument", choices=list(INSTRUMENTS), metavar="INSTRUMENT")
    parser.add_argument("responses", nargs="+", metavar="RESPONSE", help="codes; '-' = unanswered")
    parser.add_argument("--value-set", help="EQ-5D value set (default uk_5l_rowen_2026)")
    parser.add_argument("--crosswalk", type=Path, help="van Hout crosswalk CSV (EQ-5D)")
    parser.add_argument("--mapping", type=Path, help="NICE DSU 5L->3L mapping CSV (EQ-5D)")
    parser.add_argument("--age", type=int, help="age in years (NICE DSU mapping)")
    parser.add_argument("--sex", choices=["female", "male"], help="sex (NICE DSU mapping)")
    parser.add_argument("--vas", type=int, help="EQ VAS 0-100")
    parser.add_argument("--positions", action="store_true", help="MSK-HQ: option positions")
    parser.add_argument("--baseline", type=int, help="MSK-HQ: baseline total, to report change")
    parser.add_argument("--mcid", type=int, help="MSK-HQ: minimal important change (default 6)")
    parser.add_argument(
        "--cutoffs",
        type=int,
        nargs="+",
        help="start_msk: LOW_MAX MEDIUM_MAX (default 4 8); orebro_sf: AT_RISK_MIN (default 50)",
    )
    parser.add_argument("--prem-definition", type=Path, help="PREM definition JSON file")
    parser.add_argument("--summary", action="store_true", help="FFT: summarise even one response")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _reject_inapplicable_options(args)
    output = _RUNNERS[args.instrument](args)
    print(json.dumps(output, indent=2, ensure_ascii=False))
    return 0


def _reject_inapplicable_options(args: argparse.Namespace) -> None:
    for attribute, (flag, instruments) in OPTION_SCOPE.items():
        given = getattr(args, attribute)
        if given not in (None, False) and args.instrument not in instruments:
            applies = ", ".join(sorted(instruments))
            raise ScoringError(f"{flag} applies to {applies} only, not {args.instrument}")


def _codes(args: argparse.Namespace, label: str) -> list[int | None]:
    return parse_codes(args.responses, instrument=label)


def _run_msk_hq(args: argparse.Namespace) -> dict[str, object]:
    coding = msk_hq.ResponseCoding.POSITIONS if args.positions else msk_hq.ResponseCoding.SCORES
    result = msk_hq.score_msk_hq(_codes(args, "MSK-HQ"), coding=coding)
    output = result.to_dict()
    if args.baseline is not None and isinstance(result.score, int):
        mcid = msk_hq.MSK_HQ_MCID if args.mcid is None else args.mcid
        change = msk_hq.msk_hq_change(args.baseline, result.score, mcid=mcid)
        output["change"] = {
            "baseline": change.baseline,
            "change": change.change,
            "mcid": change.mcid,
            "mcid_achieved": change.is_mcid_achieved,
        }
    elif args.mcid is not None:
        raise ScoringError("--mcid needs --baseline")
    return output


def _run_eq5d(args: argparse.Namespace) -> dict[str, object]:
    profile = _single(args.responses, "EQ-5D")
    value_set = eq5d.value_set_named(args.value_set or eq5d.DEFAULT_VALUE_SET.value)
    _reject_unused_tables(args, value_set)
    mapping = eq5d.Eq5dMappingInputs(
        crosswalk=read_crosswalk(args.crosswalk) if args.crosswalk else None,
        dsu_mapping=read_dsu_mapping(args.mapping) if args.mapping else None,
        age=args.age,
        sex=sex_named(args.sex) if args.sex else None,
    )
    return eq5d.score_eq5d(profile, value_set, vas=args.vas, mapping=mapping).to_dict()


def _reject_unused_tables(args: argparse.Namespace, value_set: eq5d.ValueSet) -> None:
    uses = {
        "--crosswalk": value_set is eq5d.ValueSet.UK_3L_VANHOUT_CROSSWALK,
        "--mapping": value_set is eq5d.ValueSet.UK_3L_NICE_DSU_MAPPING,
        "--age": value_set is eq5d.ValueSet.UK_3L_NICE_DSU_MAPPING,
        "--sex": value_set is eq5d.ValueSet.UK_3L_NICE_DSU_MAPPING,
    }
    for flag, is_used in uses.items():
        if getattr(args, flag[2:]) is not None and not is_used:
            raise ScoringError(f"{flag} is not used by the EQ-5D value set {value_set}")


def _run_start_back(args: argparse.Namespace) -> dict[str, object]:
    return start_back.score_start_back(_codes(args, "STarT Back")).to_dict()


def _run_start_msk(args: argparse.Namespace) -> dict[str, object]:
    (total,) = parse_codes([_single(args.responses, "STarT MSK")], instrument="STarT MSK")
    cutoffs = start_msk.DEFAULT_CUTOFFS
    if args.cutoffs is not None:
        if len(args.cutoffs) != 2:
            raise ScoringError("--cutoffs for start_msk takes two numbers: LOW_MAX MEDIUM_MAX")
        cutoffs = start_msk.StartMskCutoffs(low_max=args.cutoffs[0], medium_max=args.cutoffs[1])
    return start_msk.score_start_msk(total, cutoffs).to_dict()


def _run_orebro(args: argparse.Namespace) -> dict[str, object]:
    threshold = orebro.AT_RISK_MIN
    if args.cutoffs is not None:
        if len(args.cutoffs) != 1:
            raise ScoringError("--cutoffs for orebro_sf takes one number: AT_RISK_MIN")
        threshold = args.cutoffs[0]
    codes = _codes(args, "Örebro")
    return orebro.score_orebro_in_order(codes, at_risk_min=threshold).to_dict()


def _run_fft(args: argparse.Namespace) -> dict[str, object]:
    codes = _codes(args, "FFT")
    if len(codes) == 1 and not args.summary:
        return fft.score_fft(codes[0]).to_dict()
    return fft.summarise_fft(codes).to_dict()


def _run_prem(args: argparse.Namespace) -> dict[str, object]:
    definition = prem.LOCAL_EXAMPLE_PREM
    if args.prem_definition is not None:
        text = args.prem_definition.read_text(encoding="utf-8")
        definition = prem.parse_prem_definition(text)
    codes = [None if token == UNANSWERED_MARK else token for token in args.responses]
    return prem.score_prem(definition, codes).to_dict()


def _single(responses: Sequence[str], label: str) -> str:
    if len(responses) != 1:
        raise ScoringError(f"{label}: expected 1 response, got {len(responses)}")
    return responses[0]


_RUNNERS: dict[str, Callable[[argparse.Namespace], dict[str, object]]] = {
    "msk_hq": _run_msk_hq,
    "eq5d5l": _run_eq5d,
    "start_back": _run_start_back,
    "start_msk": _run_start_msk,
    "orebro_sf": _run_orebro,
    "fft": _run_fft,
    "prem": _run_prem,
}
