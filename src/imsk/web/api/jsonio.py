"""JSON in and out of the API: a canonical form for idempotency digests."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def dumps(value: Any) -> str:
    """JSON text with sorted keys, so a stored response replays byte for byte (JSONB reorders)."""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def canonical_digest(value: Any) -> str:
    """SHA-256 of the JSON value in canonical form (sorted keys, no spaces).

    A retry that re-serialises the same body with other spacing or key order is the same body.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
