"""Go's strconv.ParseInt(s, 0, 64) and ParseUint(s, 0, 64): an optional sign (ParseInt only),
then a 0x/0o/0b prefix, a leading 0 for octal, or decimal digits. Both YAML readers resolve
plain scalars with it: go-yaml in templates (gotemplate/yaml_resolve.py) and in rendered
manifests (documents/manifests_yaml.py). Underscores are their business (go-yaml drops them).
"""

from __future__ import annotations

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1

# The most significant digits a uint64 has in each base: more is out of range before int() is
# asked (Python's int() refuses decimal strings past 4,300 digits; go-yaml reads any length).
_MAX_DIGITS = {2: 64, 8: 22, 10: 20, 16: 16}


def parse_int(s: str, signed: bool = True) -> int | None:
    """The value ParseInt (ParseUint when not `signed`) gives `s`, or None on its error."""
    neg = False
    body = s
    if signed and body[:1] in ("+", "-"):
        neg = body[0] == "-"
        body = body[1:]
    if not body:
        return None
    base = 10
    prefix = body[:2].lower()
    if prefix == "0x":
        base, body = 16, body[2:]
    elif prefix == "0o":
        base, body = 8, body[2:]
    elif prefix == "0b":
        base, body = 2, body[2:]
    elif body[0] == "0" and len(body) > 1:
        base, body = 8, body[1:]
    if not body or not body.isascii() or not body.isalnum():  # int() would take "_" and spaces
        return None
    significant = body.lstrip("0")
    if len(significant) > _MAX_DIGITS[base]:
        return None
    try:
        n = int(significant or "0", base)
    except ValueError:  # a digit the base does not have
        return None
    if neg:
        n = -n
    if signed:
        return n if INT64_MIN <= n <= INT64_MAX else None
    return n if n <= UINT64_MAX else None
