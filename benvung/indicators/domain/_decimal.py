"""Decimal helpers shared by the domain modules."""

from __future__ import annotations

from decimal import Context, Decimal

# 20 significant digits keep far more precision than any report carries, while dropping the
# last digits of the 28-digit default context, where chained divisions leave their noise
# (0.99999999999999999999999999 instead of 1).
_SIGNIFICANT = Context(prec=20)
# Wide enough to write any 20-digit number without an exponent.
_WIDE = Context(prec=60)
_ZERO = Decimal(0)
_UNIT = Decimal(1)


def tidy(value: Decimal) -> Decimal:
    """Round `value` to 20 significant digits and drop trailing zeros.

    The result compares equal to the exact value whenever the exact value has at most 20
    significant digits, and prints without an exponent for whole numbers (1000, not 1E+3).
    """
    if not value.is_finite():
        return value
    if not value:
        return _ZERO  # normalize() would keep the sign of -0
    # normalize() rounds to the context's precision first.
    rounded = value.normalize(_SIGNIFICANT)
    # normalize() writes 1000 as 1E+3 (a positive exponent, which str() always shows as
    # "E+"); quantizing to units restores the plain form. str() costs a fifth of as_tuple(),
    # and an import converts a million values.
    if "E+" in str(rounded) and rounded.adjusted() < _WIDE.prec:
        rounded = rounded.quantize(_UNIT, context=_WIDE)
    return rounded
