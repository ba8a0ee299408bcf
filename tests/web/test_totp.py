"""TOTP codes and their acceptance window, checked against RFC 6238 Appendix B.

RFC 6238 (TOTP), Appendix B test vectors, SHA-1, seed "12345678901234567890" (ASCII), 30-second step,
8 digits; imsk shows 6 digits, which are the last 6 of the 8 (RFC 4226 section 5.3 truncation).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from imsk.web.accounts import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "eight_digit_code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_the_rfc_6238_sha1_vectors(unix_time: int, eight_digit_code: str) -> None:
    """RFC 6238 Appendix B, SHA-1 column."""
    at = datetime.fromtimestamp(unix_time, tz=UTC)
    assert totp.code_at(RFC_SECRET, at) == eight_digit_code[-6:]


def test_a_code_is_accepted_one_step_either_side_for_clock_drift() -> None:
    now = datetime(2026, 3, 27, 9, 0, 15, tzinfo=UTC)
    for drift in (-30, 0, 30):
        code = totp.code_at(RFC_SECRET, now + timedelta(seconds=drift))
        assert totp.matching_step(RFC_SECRET, code, at=now, after_step=None) is not None


def test_a_code_two_steps_away_is_refused() -> None:
    now = datetime(2026, 3, 27, 9, 0, 15, tzinfo=UTC)
    for drift in (-60, 60):
        code = totp.code_at(RFC_SECRET, now + timedelta(seconds=drift))
        assert totp.matching_step(RFC_SECRET, code, at=now, after_step=None) is None


def test_a_code_already_used_is_refused_the_second_time() -> None:
    now = datetime(2026, 3, 27, 9, 0, 15, tzinfo=UTC)
    code = totp.code_at(RFC_SECRET, now)
    step = totp.matching_step(RFC_SECRET, code, at=now, after_step=None)
    assert step is not None
    assert totp.matching_step(RFC_SECRET, code, at=now, after_step=step) is None


def test_the_enrolment_qr_code_is_an_inline_svg_named_for_screen_readers() -> None:
    uri = totp.provisioning_uri(RFC_SECRET, email="cerys@msk.example", issuer="imsk")
    svg = totp.qr_code_svg(uri, label='QR "code"')
    assert uri.startswith("otpauth://totp/imsk:cerys%40msk.example?secret=")
    assert svg.startswith('<svg role="img" aria-label="QR &quot;code&quot;" ')
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
