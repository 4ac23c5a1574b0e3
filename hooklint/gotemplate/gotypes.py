"""How Go values are represented in Python, shared by the executor, fmt, Sprig and emitters.

Go's template semantics depend on dynamic types (`eq 1 1.0` is an error, `indent` rejects
a float64, `%v` prints float64 1e6 as `1e+06`), so every value carries its Go type:

| Go type                     | Python                                  |
|-----------------------------|-----------------------------------------|
| nil (untyped / nil iface)   | None                                    |
| bool                        | bool                                    |
| int                         | int                                     |
| int64                       | Int64 (subclass of int)                 |
| uint64 / uint32 / int32 ... | Uint64 / ... (subclasses of int)        |
| float64                     | float                                   |
| string                      | str                                     |
| []byte                      | bytes                                   |
| []interface {}              | list                                    |
| []string                    | StrList (subclass of list)              |
| map[string]interface {}     | dict (Helm's chartutil.Values included) |
| map[string]string           | StrMap (subclass of dict)               |
| structs / pointers w/ methods | subclasses of GoObject                |

Values decoded from YAML/JSON by Helm are nil, bool, float64, string, []interface{},
map[string]interface{}: numbers from values files are always float64 (Python float).
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any


class Int64(int):
    """Go int64 (Sprig's int64, --set integers, ...)."""

    __slots__ = ()
    go_type = "int64"


class Int32(int):
    __slots__ = ()
    go_type = "int32"


class Uint64(int):
    __slots__ = ()
    go_type = "uint64"


class Uint32(int):
    __slots__ = ()
    go_type = "uint32"


class Uint8(int):
    __slots__ = ()
    go_type = "uint8"


class Rune(int):
    """Go rune (int32), e.g. a char constant 'a' in a template."""

    __slots__ = ()
    go_type = "int32"


class StrList(list):  # type: ignore[type-arg]
    """Go []string."""

    go_type = "[]string"


class StrMap(dict):  # type: ignore[type-arg]
    """Go map[string]string."""

    go_type = "map[string]string"


class NilList(list):  # type: ignore[type-arg]
    """A nil []interface{} (Sprig's rest/initial of an empty list, concat of nothing): to
    templates an empty slice (length 0, false, prints `[]`), but encoding/json marshals it as
    `null` and %#v prints `[]interface {}(nil)`. Never holds elements."""

    go_type = "[]interface {}"
    go_kind = "slice"
    go_nil = True


class NilStrList(StrList):
    """A nil []string (regexFindAll without a match, regexSplit with n == 0)."""

    go_nil = True


class NilBytes(bytes):
    """A nil []byte (a missing key of Helm's `.Files` map under missingkey=zero): prints `[]`
    like an empty one, marshals as JSON `null`."""

    go_type = "[]uint8"
    go_kind = "slice"
    go_nil = True


class NilStrMap(StrMap):
    """A nil map[string]string (a chart's Annotations when Chart.yaml has none)."""

    go_nil = True


class GoStructJSON(dict):  # type: ignore[type-arg]
    """What encoding/json marshals for a struct: its fields in declaration order (a map's
    keys are sorted). Returned by `GoObject.go_json()`; toYaml sorts it like any map."""


def is_go_nil(value: Any) -> bool:
    """A typed nil slice or map (NilList, NilStrList, NilStrMap)."""
    return getattr(value, "go_nil", False) is True


class GoObject:
    """Base for Go structs and other named types exposed to templates.

    - `go_type`: the type name Go prints for %T / error messages (e.g. "*chart.Metadata").
    - `go_field(name)`: value of exported field `name`; raise KeyError if there is none.
    - `go_method(name)`: a bound callable (with `__go_sig__`) for method `name`, or None.
    - `go_json()`: the value encoding/json would marshal (dict with json-tag names, ...), used
      by toYaml/toJson; None when the object marshals as `null`.
    - `go_format()`: what fmt's %v prints for it.
    - optional `go_format_addressable()`: what `{{ x }}` prints when only the pointer type is a
      fmt.Stringer (text/template takes the address of the field; a function argument cannot).
    """

    go_type = "struct {}"

    def go_field(self, name: str) -> Any:
        raise KeyError(name)

    def go_method(self, name: str) -> Callable[..., Any] | None:
        fn = getattr(self, "go_" + name, None) if name[:1].isupper() else None
        return fn if callable(fn) else None

    def go_json(self) -> Any:
        return None

    def go_format(self) -> str:
        return "{}"


# --- function signatures -------------------------------------------------------------------

# Go type spellings used in signatures and in error messages, exactly as reflect prints them.
ANY = "interface {}"
STRING = "string"
INT = "int"
INT64 = "int64"
FLOAT64 = "float64"
BOOL = "bool"
LIST = "[]interface {}"
STRLIST = "[]string"
MAP = "map[string]interface {}"
STRMAP = "map[string]string"
BYTES = "[]uint8"


class GoSig:
    """A Go function signature as text/template's reflection sees it.

    `params`: the fixed parameter types; `variadic`: element type of a trailing `...T`
    parameter or None; `returns_error`: the Go function has a second `error` result (then the
    Python function signals it by raising GoFuncError); `result`: the Go result type
    (used for %T/typeOf of results that are not self-describing, informational otherwise).

    A value (equal and hashing by its fields), written out rather than a frozen dataclass: one
    is made per template function at import (~220 for a render), and the class itself would
    cost start-up time to generate.
    """

    __slots__ = ("params", "variadic", "returns_error", "result")

    def __init__(
        self, params: tuple[str, ...] = (), variadic: str | None = None, returns_error: bool = False,
        result: str = ANY,
    ) -> None:
        self.params = params
        self.variadic = variadic
        self.returns_error = returns_error
        self.result = result

    def _key(self) -> tuple[tuple[str, ...], str | None, bool, str]:
        return (self.params, self.variadic, self.returns_error, self.result)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GoSig) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"GoSig(params={self.params!r}, variadic={self.variadic!r}, "
            f"returns_error={self.returns_error!r}, result={self.result!r})"
        )


class GoFuncError(Exception):
    """Raised by a template function to return a non-nil Go `error`.

    The executor reports it as Go does:
    `template: NAME:LINE:COL: executing "NAME" at <FUNC>: error calling FUNC: MESSAGE`.
    """


class GoPanic(Exception):
    """A Go panic inside a template function (text/template recovers it into an error)."""


def gofunc(
    *params: str,
    variadic: str | None = None,
    error: bool = False,
    result: str = ANY,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach a Go signature to a Python implementation of a template function.

    Example: Sprig's `func indent(spaces int, v string) string` is
    `@gofunc(INT, STRING, result=STRING)`. Every registered function must carry one: the
    executor uses it for argument count and type checks ("wrong type for value; expected int;
    got float64"), untyped-constant conversion, and nil handling.
    """

    sig = GoSig(tuple(params), variadic, error, result)

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__go_sig__ = sig  # type: ignore[attr-defined]
        return fn

    return mark


# Template functions whose result is not a function of their arguments and the chart (the
# clock, randomness, DNS, the local time zone). All are LazyGoFuncs; `volatile_calls` counts
# their resolutions, so a run can tell that its output may differ next time (the result cache
# then stores nothing).
VOLATILE_FUNCS = frozenset({
    "ago", "bcrypt", "date", "dateInZone", "date_in_zone", "dateModify", "date_modify", "durationRound",
    "encryptAES", "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
    "genSignedCert", "genSignedCertWithKey", "getHostByName", "htmlDate", "htmlDateInZone", "htpasswd",
    "mustDateModify", "mustToDate", "must_date_modify", "now", "randAlpha", "randAlphaNum", "randAscii", "randBytes",
    "randInt", "randNumeric", "shuffle", "toDate", "unixEpoch", "uuidv4",
})
volatile_calls = 0


class LazyGoFunc:
    """A template function whose implementation is imported on first call.

    Registering Sprig's ~200 functions must not import every implementation module (and its
    heavy dependencies: cryptography, re2, ...); the template set keeps these unresolved until
    a template calls them. `resolve()` imports `module` and returns its FUNCS[name]; the executor
    resolves once per template set, so a volatile function (VOLATILE_FUNCS) counts once per run.
    """

    __slots__ = ("module", "name", "_fn")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._fn: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self.name in VOLATILE_FUNCS:
            global volatile_calls
            volatile_calls += 1
        fn = self._fn
        if fn is None:
            import importlib

            fn = importlib.import_module(self.module).FUNCS[self.name]
            self._fn = fn
        return fn

    def __call__(self, *args: Any) -> Any:
        return self.resolve()(*args)

    @property
    def __go_sig__(self) -> GoSig:
        return signature_of(self.resolve())

    def __repr__(self) -> str:
        return f"LazyGoFunc({self.module!r}, {self.name!r})"


def signature_of(fn: Callable[..., Any]) -> GoSig:
    sig = getattr(fn, "__go_sig__", None)
    if sig is None:
        raise TypeError(f"template function {fn!r} has no Go signature (use @gofunc)")
    return sig  # type: ignore[no-any-return]


# --- type names and kinds ------------------------------------------------------------------


def go_type_name(value: Any) -> str:
    """The Go dynamic type name of `value`, as `%T` and reflect print it ("<nil>" for nil)."""
    if value is None:
        return "<nil>"
    t = type(value)
    if t is bool:
        return "bool"
    if t is int:
        return "int"
    if t is float:
        return "float64"
    if t is str:
        return "string"
    if t is list:
        return LIST
    if t is dict:
        return MAP
    if t is bytes:
        return BYTES
    if t is complex:
        return "complex128"
    name = getattr(value, "go_type", None)
    if isinstance(name, str):
        return name
    raise TypeError(f"not a Go value: {t.__name__}")


_KINDS = {
    bool: "bool",
    int: "int",
    float: "float64",
    str: "string",
    list: "slice",
    dict: "map",
    bytes: "slice",
}


def go_kind(value: Any) -> str:
    """reflect.Kind name of `value` ("invalid" for nil), as Sprig's kindOf prints it."""
    if value is None:
        return "invalid"
    k = _KINDS.get(type(value))
    if k is not None:
        return k
    if isinstance(value, (Int64, Int32, Uint64, Uint32, Uint8, Rune)):
        return value.go_type
    if isinstance(value, StrList):
        return "slice"
    if isinstance(value, StrMap):
        return "map"
    kind = getattr(value, "go_kind", None)
    if isinstance(kind, str):
        return kind
    return "struct"


def is_int(value: Any) -> bool:
    """Any Go integer type (bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)
