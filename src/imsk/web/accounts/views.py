"""Sign-in in two steps, and sign-out.

1. Email and password (``sign_in``). Right: the session remembers the user as *pending*, for
   ``IMSK_SIGN_IN_STEP_TIMEOUT``, without signing them in.
2. The authenticator code (``verify``), or, the first time, setting up the authenticator app from a
   QR code and checking its first code (``enrol``). Right: signed in.

Views parse input, call one service, render. Services audit every attempt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imsk.web.accounts import services, totp
from imsk.web.accounts.forms import CodeForm, SignInForm
from imsk.web.accounts.models import TotpDevice, User
from imsk.web.accounts.services import SignInOutcome

PENDING_KEY = "imsk_pending_sign_in"


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.check_password(
            email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if check.outcome is SignInOutcome.LOCKED:
            form.add_error(None, _locked_message())
        elif check.user is None:
            form.add_error(None, _("Enter a correct email address and password"))
        else:
            _remember_pending(request, check.user)
            step = (
                "accounts:verify" if check.outcome is SignInOutcome.NEEDS_CODE else "accounts:enrol"
            )
            return redirect(step)
    return render(request, "accounts/sign_in.html", {"form": form})


def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if not _has_confirmed_device(user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _complete(request, user, form)
        if response is not None:
            return response
    return render(request, "accounts/verify.html", {"form": form})


def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if _has_confirmed_device(user):
        return redirect("accounts:verify")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _complete(request, user, form)
        if response is not None:
            return response
    device = services.begin_enrolment(user=user)
    uri = totp.provisioning_uri(device.secret, email=user.email, issuer=settings.IMSK_TOTP_ISSUER)
    context = {
        "form": form,
        "qr_svg": totp.qr_code_svg(uri, label=_("QR code for your authenticator app")),
        "secret_groups": [device.secret[i : i + 4] for i in range(0, len(device.secret), 4)],
    }
    return render(request, "accounts/enrol.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    messages.info(request, _("You have signed out"))
    return redirect("accounts:sign_in")


def _complete(request: HttpRequest, user: User, form: CodeForm) -> HttpResponse | None:
    """Finish the sign-in with the code; None (and a form error) when the code is wrong."""
    next_url = request.session.get(PENDING_KEY, {}).get("next", "")
    outcome = services.complete_sign_in(request, user=user, code=form.cleaned_data["code"])
    if outcome is SignInOutcome.SIGNED_IN:
        request.session.pop(PENDING_KEY, None)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if outcome is SignInOutcome.LOCKED:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _locked_message())
        return redirect("accounts:sign_in")
    form.add_error("code", _("The security code is not right. Enter the code your app shows now"))
    return None


def _has_confirmed_device(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _remember_pending(request: HttpRequest, user: User) -> None:
    next_url = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    request.session.cycle_key()  # a new session id once the password is right (session fixation)
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "started_at": timezone.now().isoformat(),
        "next": next_url if safe else "",
    }


def _pending_user(request: HttpRequest) -> User | None:
    """The user whose password was right, while the second step is still open."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    timeout: timedelta = settings.IMSK_SIGN_IN_STEP_TIMEOUT
    started_at = datetime.fromisoformat(str(pending.get("started_at")))
    if timezone.now() - started_at > timeout:
        request.session.pop(PENDING_KEY, None)
        return None
    user_id = pending.get("user_id")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _restart(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Your sign-in timed out. Sign in again"))
    return redirect("accounts:sign_in")


def _locked_message() -> str:
    window: timedelta = settings.IMSK_LOCKOUT_WINDOW
    minutes = int(window.total_seconds() // 60)
    return _(
        "There have been too many attempts to sign in. Wait %(minutes)d minutes and try again"
    ) % {"minutes": minutes}
