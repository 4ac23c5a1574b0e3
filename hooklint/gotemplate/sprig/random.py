"""Sprig's random functions: randAlphaNum, randAlpha, randNumeric, randAscii, shuffle, randInt,
uuidv4 (sprig v3.3.0: strings.go via goutils.CryptoRandom*, xstrings.Shuffle, functions.go).

Outputs are random by nature; what must match Helm is the alphabet, the length and the
failure behaviour (a negative length renders "", `randInt` with max <= min panics).
"""

from __future__ import annotations

import random as _random
import secrets
import string
import uuid
from collections.abc import Callable

from hooklint.gotemplate.gotypes import INT, STRING, GoPanic, gofunc

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

# goutils.CryptoRandom draws from ' '..'z' and keeps letters and/or digits (unicode.IsLetter /
# IsDigit); randAscii draws from 32..126 inclusive (space and '~' included).
ALPHA = string.ascii_uppercase + string.ascii_lowercase
NUMERIC = string.digits
ALPHANUM = NUMERIC + ALPHA
ASCII = "".join(chr(c) for c in range(32, 127))

# xstrings.Shuffle and randInt use math/rand (not crypto); any uniform source is equivalent.
_rng = _random.Random()


def _crypto_random(count: int, alphabet: str) -> str:
    # goutils returns an error for count < 0, which Sprig discards: the result is "".
    if count <= 0:
        return ""
    return "".join(secrets.choice(alphabet) for _ in range(count))


@gofunc(INT, result=STRING)
def randAlphaNum(count: int) -> str:
    return _crypto_random(count, ALPHANUM)


@gofunc(INT, result=STRING)
def randAlpha(count: int) -> str:
    return _crypto_random(count, ALPHA)


@gofunc(INT, result=STRING)
def randNumeric(count: int) -> str:
    return _crypto_random(count, NUMERIC)


@gofunc(INT, result=STRING)
def randAscii(count: int) -> str:
    return _crypto_random(count, ASCII)


@gofunc(STRING, result=STRING)
def shuffle(s: str) -> str:
    # []rune(s) turns each invalid UTF-8 byte (kept as a lone surrogate here) into U+FFFD.
    runes = ["\ufffd" if "\udc80" <= c <= "\udcff" else c for c in s]
    for i in range(len(runes) - 1, 0, -1):  # Fisher-Yates, as xstrings.Shuffle
        j = _rng.randrange(i + 1)
        runes[i], runes[j] = runes[j], runes[i]
    return "".join(runes)


@gofunc(INT, INT, result=INT)
def randInt(lo: int, hi: int) -> int:
    # func(min, max int) int { return rand.Intn(max-min) + min }
    n = hi - lo
    if n <= 0:
        raise GoPanic("invalid argument to Intn")
    return _rng.randrange(n) + lo


@gofunc(result=STRING)
def uuidv4() -> str:
    return str(uuid.uuid4())


FUNCS: dict[str, Callable[..., Any]] = {
    "randAlphaNum": randAlphaNum,
    "randAlpha": randAlpha,
    "randNumeric": randNumeric,
    "randAscii": randAscii,
    "shuffle": shuffle,
    "randInt": randInt,
    "uuidv4": uuidv4,
}
