"""Arrow compute for the validator, typed loosely on purpose.

The pyarrow stubs type each compute function with overloads that reject valid calls (a Python
``str`` operand, a ``DataType`` known only at run time), so the vectorised checks here use Arrow
arrays as ``Any`` (:data:`Arr`) through :data:`pc` and :data:`pa_any`. Values leaving this package
are typed: findings, reports and ``pyarrow.RecordBatch``.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import pyarrow
import pyarrow.compute

#: An Arrow array (or chunked array) inside the validator.
Arr: TypeAlias = Any
pc: Any = pyarrow.compute
pa_any: Any = pyarrow
