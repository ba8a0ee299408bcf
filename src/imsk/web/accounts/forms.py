"""Sign-in forms: validation at the edge, messages that say how to put the answer right."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

_SIX_DIGITS = re.compile(r"\d{6}")


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code your authenticator app shows now"),
        max_length=12,
        error_messages={"required": _("Enter the 6-digit security code")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not _SIX_DIGITS.fullmatch(code):
            raise forms.ValidationError(_("Enter the security code as 6 digits, like 123456"))
        return code
