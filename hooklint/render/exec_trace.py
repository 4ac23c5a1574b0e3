"""Helm 4.2.3's template execution errors as a trace (pkg/engine/engine.go reformatExecErrorMsg).

Helm 4 walks the Go error chain of a failed execution (`error calling include: %w` links each
included template's error) and prints one entry per template:

    t/templates/t.yaml:1:6
      executing "t/templates/t.yaml" at <include "h" .>:
        error calling include:
    t/templates/_h.tpl:3:10
      executing "h" at <.Values.a.b.c>:
        nil pointer evaluating interface {}.b

If any link of the chain is not a text/template error (a function's own error such as
`"q" is not a value`, or tpl's `cannot parse template ...`), Helm keeps the original one-line
message. hooklint's executor keeps errors as text, so the chain is rebuilt from it: in Go's
messages, the error wrapped by `error calling NAME: ` is exactly the text after it.
"""

from __future__ import annotations

from dataclasses import dataclass

_PREFIX = "template: "


@dataclass(frozen=True)
class _Traceable:
    location: str = ""
    message: str = ""
    executed: str = ""

    def text(self) -> str:
        out = ""
        if self.location:
            out += self.location + "\n  "
        if self.executed:
            out += self.executed + "\n    "
        if self.message:
            out += self.message + "\n"
        return out


def _cut_chained(msg: str) -> str:
    cut = msg.find(" template:")
    return msg[:cut] if cut != -1 else msg


def _parse_executing(remainder: str) -> tuple[_Traceable, str] | None:
    """`<name>: executing "<func>" at <<node>>: <msg>` -> (entry, full message)."""
    name, sep, after = remainder.partition(": executing ")
    if not sep or not after.startswith('"'):
        return None
    end = after.find('"', 1)
    if end == -1:
        return None
    func, after_func = after[1:end], after[end + 1 :]
    if not after_func.startswith(" at <"):
        return None
    node, sep, msg = after_func[len(" at <") :].partition(">: ")
    if not sep:
        return None
    return _Traceable(name, _cut_chained(msg), f'executing "{func}" at <{node}>:'), msg


def _parse(text: str) -> tuple[_Traceable, str | None] | None:
    """parseTemplateExecErrorString: the entry for one link and the text of the error it
    wraps (None when it wraps nothing); None when the link is not a template error."""
    if not text.startswith(_PREFIX):
        return None
    remainder = text[len(_PREFIX) :]
    if remainder.startswith("no template "):
        return _Traceable(message=text), None
    executing = _parse_executing(remainder)
    if executing is not None:
        entry, msg = executing
        if msg.startswith("error calling "):
            _, sep, inner = msg[len("error calling ") :].partition(": ")
            if sep:
                return entry, inner
        return entry, None
    last = remainder.rfind(": ")
    if last != -1:
        return _Traceable(remainder[:last], _cut_chained(remainder[last + 2 :])), None
    return None


def helm4_exec_trace(message: str) -> str:
    """The Helm 4 form of a text/template execution error `message` (itself if it has none)."""
    entries: list[_Traceable] = []
    current: str | None = message
    while current is not None:
        parsed = _parse(current)
        if parsed is None:
            return message
        entry, current = parsed
        if not entries or entries[-1] != entry:
            entries.append(entry)
    return "".join(e.text() for e in entries).strip()
