"""The only writers of accounts state: services, users, second factors, sign-in and sign-out.

Each function opens one transaction, makes its change and records the audit event in it (the
pattern every app follows): if anything fails, neither the change nor its audit row is kept.
Functions take typed values already validated at the edge (forms, the demo command) and raise
:class:`~imsk.web.errors.AccountError`, naming the field, for what only they can check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from imsk.core.calendar import Nation
from imsk.web.accounts import totp
from imsk.web.accounts.lockout import is_locked_out
from imsk.web.accounts.models import SERVICE_ROLES, Role, Service, TotpDevice, User, normalise_email
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.errors import AccountError


def user_subject(user: User) -> Subject:
    """The audit subject for a user record, with the scope it belongs to."""
    return Subject.of(user, service_id=user.service_id or "", health_board=user.health_board)


def create_service(
    *, actor: User | None, service_id: str, name: str, health_board: str, nation: Nation
) -> Service:
    """Register an MSK service (data set table ``services``)."""
    if not service_id.strip():
        raise AccountError("service_id: give the service an ID")
    if not health_board.strip():
        raise AccountError(f"health_board: service {service_id} needs a health board ODS code")
    with transaction.atomic():
        if Service.objects.filter(service_id=service_id).exists():
            raise AccountError(f"service_id: service {service_id} exists already")
        service = Service.objects.create(
            service_id=service_id, name=name, health_board=health_board, nation=nation.value
        )
        subject = Subject.of(service, service_id=service_id, health_board=health_board)
        record(
            Action.CREATE, actor=actor, subject=subject, details={"name": name, "nation": nation}
        )
    return service


def create_user(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: Role,
    service: Service | None = None,
    health_board: str = "",
    password: str | None = None,
) -> User:
    """Create an account. Service roles need ``service`` (their health board follows from it);
    analysts and administrators take a ``health_board`` or none (national). Patients get no
    password: they will sign in through one-time links."""
    email = _valid_email(email)
    service, health_board = _scope(role, service, health_board)
    if role is Role.PATIENT and password is not None:
        raise AccountError("password: patients do not sign in with a password")
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise AccountError(f"email: an account with {email} exists already")
        user = User(
            email=email, full_name=full_name, role=role, service=service, health_board=health_board
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        details = {"email": email, "role": role.value, "has_password": password is not None}
        record(Action.CREATE, actor=actor, subject=user_subject(user), details=details)
    return user


def set_password(*, actor: User | None, user: User, password: str) -> None:
    """Replace a staff member's password (the hash only is stored, and never audited)."""
    if not user.is_staff_member:
        raise AccountError("password: patients do not sign in with a password")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            Action.UPDATE,
            actor=actor,
            subject=user_subject(user),
            details={"changed": ["password"]},
        )


def issue_second_factor(*, actor: User | None, user: User, secret: str | None = None) -> str:
    """Enrol ``user`` with a new TOTP secret, confirmed at once, replacing any device; return it.

    For administrators resetting a lost authenticator, and for the demo users. ``secret`` (base32)
    defaults to a fresh random one.
    """
    secret = secret or totp.new_secret()
    with transaction.atomic():
        TotpDevice.objects.update_or_create(
            user=user,
            defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": None},
        )
        record(
            Action.SECOND_FACTOR_ENROLLED,
            actor=actor,
            subject=user_subject(user),
            details={"issued": True},
        )
    return secret


class SignInOutcome(StrEnum):
    """Where a sign-in attempt stands."""

    NEEDS_CODE = "needs_code"  # password right; ask for the authenticator code
    NEEDS_ENROLMENT = "needs_enrolment"  # password right; no authenticator enrolled yet
    SIGNED_IN = "signed_in"
    FAILED = "failed"
    LOCKED = "locked"


@dataclass(frozen=True)
class PasswordCheck:
    outcome: SignInOutcome
    user: User | None = None


def check_password(*, email: str, password: str) -> PasswordCheck:
    """First step of a staff sign-in: the password. Failures and refusals are audited."""
    email = normalise_email(email)
    with transaction.atomic():
        known = User.objects.filter(email=email).first()
        if is_locked_out(email, now=timezone.now()):
            details = {"stage": "password"}
            record(Action.SIGN_IN_LOCKED, actor=known, actor_email=email, details=details)
            return PasswordCheck(SignInOutcome.LOCKED)
        user = authenticate(username=email, password=password)
        if not isinstance(user, User) or not user.is_staff_member:
            details = {"stage": "password"}
            record(Action.SIGN_IN_FAILED, actor=known, actor_email=email, details=details)
            return PasswordCheck(SignInOutcome.FAILED)
        enrolled = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        return PasswordCheck(
            SignInOutcome.NEEDS_CODE if enrolled else SignInOutcome.NEEDS_ENROLMENT, user
        )


def begin_enrolment(*, user: User) -> TotpDevice:
    """The unconfirmed authenticator ``user`` is enrolling (made on first call, kept on reloads)."""
    with transaction.atomic():
        device, created = TotpDevice.objects.select_for_update().get_or_create(
            user=user, defaults={"secret": totp.new_secret()}
        )
        if device.is_confirmed:
            raise AccountError(f"second factor: {user.email} has enrolled an authenticator already")
        if created:
            subject = Subject.of(
                device, service_id=user.service_id or "", health_board=user.health_board
            )
            record(Action.CREATE, actor=user, subject=subject, details={"confirmed": False})
    return device


def complete_sign_in(request: HttpRequest, *, user: User, code: str) -> SignInOutcome:
    """Second step: check the authenticator code (confirming the device at enrolment) and sign in."""
    now = timezone.now()
    with transaction.atomic():
        if is_locked_out(user.email, now=now):
            record(Action.SIGN_IN_LOCKED, actor=user, details={"stage": "code"})
            return SignInOutcome.LOCKED
        device = TotpDevice.objects.select_for_update().get(user=user)
        stage = "code" if device.is_confirmed else "enrolment"
        step = totp.matching_step(device.secret, code, at=now, after_step=device.last_used_step)
        if step is None:
            record(Action.SIGN_IN_FAILED, actor=user, details={"stage": stage})
            return SignInOutcome.FAILED
        device.last_used_step = step
        if not device.is_confirmed:
            device.confirmed_at = now
            record(Action.SECOND_FACTOR_ENROLLED, actor=user, subject=user_subject(user))
        device.save(update_fields=["last_used_step", "confirmed_at"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        record(Action.SIGN_IN, actor=user, subject=user_subject(user))
    return SignInOutcome.SIGNED_IN


def sign_out(request: HttpRequest) -> None:
    """End the session, recording who signed out."""
    with transaction.atomic():
        if isinstance(request.user, User):
            record(Action.SIGN_OUT, actor=request.user, subject=user_subject(request.user))
        logout(request)


def _valid_email(email: str) -> str:
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"email: {email!r} is not an email address") from None
    return email


def _scope(role: Role, service: Service | None, health_board: str) -> tuple[Service | None, str]:
    """The (service, health board) a role's account is scoped to; refuses a mismatch."""
    health_board = health_board.strip()
    if role in SERVICE_ROLES:
        if service is None:
            raise AccountError(f"service: a {role.value} account must belong to a service")
        if health_board and health_board != service.health_board:
            raise AccountError(
                f"health_board: {health_board} is not the health board of service "
                f"{service.service_id} ({service.health_board})"
            )
        return service, service.health_board
    if service is not None:
        raise AccountError(f"service: a {role.value} account is not scoped to one service")
    return None, health_board
