"""The web pages' middleware, run for the pages and not for the key-authenticated JSON API.

Sessions, the language choice, CSRF protection, the signed-in user and flash messages serve people
in a browser. The intake API (``/api/``) is called by electronic referral systems with an API key
(``Authorization: Bearer``): it reads no session or cookie, signs no one in, renders no page and
returns no translated text (problem details are English, RFC 7807). Running those five middleware
for every API call cost about 0.1-0.2 ms of CPU a request, some 5 % of a new request's time in
Django (docs/performance.md, "Intake API").

:class:`PagesOnlyMiddleware` stands where those middleware stood in ``settings.MIDDLEWARE`` and runs
``settings.PAGE_MIDDLEWARE`` (in that order, each exactly as Django would run it, ``process_view``
hooks included, so CSRF protection of every page is unchanged) for every path but ``/api/``, which
gets ``settings.API_MIDDLEWARE`` only. An API request runs in the default language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.module_loading import import_string

#: The URL prefix of the key-authenticated API (``imsk.web.urls``).
API_PREFIX = "/api/"

CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"

Handler = Callable[[HttpRequest], HttpResponseBase]
ViewHook = Callable[..., HttpResponseBase | None]


def _chain(paths: list[str], get_response: Handler) -> tuple[Handler, list[ViewHook]]:
    """The middleware at ``paths`` around ``get_response``, as ``BaseHandler.load_middleware``
    builds them (outermost first; each layer's exceptions turned into responses), and their
    ``process_view`` hooks in order."""
    handler = get_response
    hooks: list[ViewHook] = []
    for path in reversed(paths):
        instance = import_string(path)(handler)
        if hasattr(instance, "process_exception") or hasattr(instance, "process_template_response"):
            raise ImproperlyConfigured(f"{path} has hooks only MIDDLEWARE runs: list it there")
        if hasattr(instance, "process_view"):
            hooks.insert(0, instance.process_view)
        handler = cast(Handler, convert_exception_to_response(instance))  # sync-only
    return handler, hooks


class PagesOnlyMiddleware:
    """``settings.PAGE_MIDDLEWARE`` for the pages; ``settings.API_MIDDLEWARE`` for ``/api/``."""

    def __init__(self, get_response: Handler) -> None:
        if CSRF_MIDDLEWARE not in settings.PAGE_MIDDLEWARE:
            # Django's own check (security.W003) looks in MIDDLEWARE only and is silenced in
            # settings.py; this refuses to start instead.
            raise ImproperlyConfigured(f"PAGE_MIDDLEWARE must include {CSRF_MIDDLEWARE}")
        self.pages, self.page_view_hooks = _chain(settings.PAGE_MIDDLEWARE, get_response)
        self.api, self.api_view_hooks = _chain(settings.API_MIDDLEWARE, get_response)

    @staticmethod
    def is_api(request: HttpRequest) -> bool:
        return request.path_info.startswith(API_PREFIX)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self.is_api(request):
            translation.deactivate()  # the default language, whatever this thread served before
            return self.api(request)
        return self.pages(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        hooks = self.api_view_hooks if self.is_api(request) else self.page_view_hooks
        for hook in hooks:
            response = hook(request, view_func, view_args, view_kwargs)
            if response is not None:
                return response
        return None
