"""Time-based one-time passwords (TOTP, RFC 6238): the second factor staff sign in with.

An authenticator app and imsk share a random secret; both derive a six-digit code from it and the
current 30-second time step. A code is accepted for the step before, the step of, or the step after
``at`` (clock drift of up to 30 seconds each way), and only for a step later than the last one
accepted, so an overheard code cannot be used twice. Built on ``pyotp`` (RFC 4226/6238).
"""

from __future__ import annotations

import hmac
from datetime import datetime
from html import escape

import pyotp
import qrcode
from qrcode.image.svg import SvgPathImage

DRIFT_STEPS = 1
STEP_SECONDS = 30
"""The length of a time step (RFC 6238's default, and pyotp's)."""


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(length=32)


def code_at(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at ``at`` (for tests and the demo)."""
    return pyotp.TOTP(secret).at(at)


def matching_step(secret: str, code: str, *, at: datetime, after_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is valid at ``at`` and later than ``after_step``."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, *, email: str, issuer: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the enrolment QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_svg(uri: str, *, label: str) -> str:
    """The URI as an inline SVG QR code named ``label`` for screen readers.

    Made on the server, so the enrolment page loads nothing from elsewhere. The caller escapes
    nothing: the SVG holds only path data, and ``label`` is escaped here.
    """
    image = qrcode.make(uri, image_factory=SvgPathImage, box_size=8)
    svg = image.to_string().decode("utf-8")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
