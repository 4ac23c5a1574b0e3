"""hooklint's own argument parser (hooklint/commands/fastargs.py) against typer's: its description
of the commands is what typer builds, and for any argument list it either declines (typer parses
the run) or makes exactly the call typer makes: the same command function, the same arguments."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooklint.cli import build_parser, main, value_options
from hooklint.commands import argspec, argspec_build, fastargs, options

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = str(REPO / "fixtures" / "charts" / "example")

_GROUP = build_parser()


@contextlib.contextmanager
def _recorded(calls: list[tuple[Callable[..., Any], dict[str, Any]]]) -> Iterator[None]:
    """typer's command wrappers call options.call_handler: record its arguments instead."""
    real = options.call_handler

    def record(handler: Callable[..., Any], kwargs: dict[str, Any]) -> int:
        calls.append((handler, dict(kwargs)))
        return 0

    options.call_handler = record  # type: ignore[assignment]
    try:
        yield
    finally:
        options.call_handler = real  # type: ignore[assignment]


def typer_call(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """The command function and keyword arguments typer calls for `args`, or None when it calls
    none (a usage error, --help)."""
    calls: list[tuple[Callable[..., Any], dict[str, Any]]] = []
    with _recorded(calls), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            _GROUP.main(args=args, prog_name="hooklint", standalone_mode=False)
        except Exception:  # click's usage errors (standalone_mode=False raises them); HooklintError
            pass
        except SystemExit:
            pass
    return calls[0] if calls else None


def fast_call(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    call = fastargs.parse(args)
    if call is None:
        return None
    return getattr(importlib.import_module(call.module), call.function), call.kwargs


def test_the_checked_in_description_is_what_typer_builds() -> None:
    """After a change to a command's options: `python -m hooklint.commands.argspec_build`."""
    tables = argspec_build.derive()
    stale = "hooklint/commands/argspec.py is stale: run `python -m hooklint.commands.argspec_build`"
    assert tables == {name: getattr(argspec, name) for name in tables}, stale
    assert argspec_build.source(tables) == argspec_build.TARGET.read_text(encoding="utf-8"), stale
    for command, names in argspec.VALUE_OPTIONS.items():  # what legacy.modernize is given
        assert frozenset(names) == value_options(_GROUP.commands[command])


# Every spelling typer knows for the commands (and some it does not), values of every shape the
# parser treats apart, positionals.
_SPELLINGS = sorted({s for c in _GROUP.commands.values() for p in c.params for s in (*p.opts, *p.secondary_opts)}
                    | {"-h", "--help", "--version", "--format", "-F", "--nam", "-nprod", "-n=x", "-jj", "---",
                       "--no-such-option", "--use-release-name", "--release-name=x", "-"})
_VALUES = st.one_of(
    st.sampled_from(["", "-", "--", "x", "prod", "a=b", "a,b", "3", "4", "0", "007", "-1", "+3", " 3", "3_0",
                     "\u0663", "--help", "-h", "-x", "=", "=x", "chart", EXAMPLE, "5m", "json", "never", "HL101"]),
    st.text(alphabet="ab-=3 ,", max_size=4),
)
_TOKEN = st.one_of(
    st.sampled_from(_SPELLINGS),
    st.tuples(st.sampled_from(_SPELLINGS), _VALUES).map(lambda t: f"{t[0]}={t[1]}"),
    _VALUES,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_GROUP.commands)), st.lists(_TOKEN, max_size=8))
def test_the_fast_parser_declines_or_makes_typers_call(command: str, tokens: list[str]) -> None:
    args = [command, *tokens]
    fast = fast_call(args)
    if fast is None:
        return
    assert typer_call(args) == fast


@given(st.sampled_from(sorted(argspec.HANDLERS)), st.data())
@settings(max_examples=200, deadline=None)
def test_well_formed_runs_are_parsed_by_the_fast_parser(command: str, data: st.DataObject) -> None:
    """Options in any order, `--opt value` or `--opt=value`, repeated, around positionals: all
    understood (the common runs never import typer), and typer agrees."""
    spec = argspec.OPTIONS[command]
    plain = st.text(alphabet="abc./_=,", min_size=1, max_size=5)
    groups: list[list[str]] = []  # an option with its value, or a positional
    for spelling in data.draw(st.lists(st.sampled_from(sorted(spec)), max_size=6)):
        dest, kind, _ = spec[spelling]
        if dest in argspec.CALLBACKS[command]:
            continue
        if kind == "flag":
            groups.append([spelling])
            continue
        value = str(data.draw(st.integers(0, 9))) if kind == "int" else data.draw(plain)
        attached = spelling.startswith("--") and data.draw(st.booleans())
        groups.append([f"{spelling}={value}"] if attached else [spelling, value])
    positional = argspec.POSITIONAL[command]
    if positional is not None:
        count = 1 if positional[1] == 1 else data.draw(st.integers(1 if positional[2] else 0, 2))
        for _ in range(count):
            groups.insert(data.draw(st.integers(0, len(groups))), [data.draw(plain)])
    tokens = [token for group in groups for token in group]
    fast = fast_call([command, *tokens])
    assert fast is not None, tokens
    assert typer_call([command, *tokens]) == fast


def test_what_typer_words_is_left_to_typer() -> None:
    for args in (["render", "--help"], ["render", "-h"], ["render"], ["render", "--nope", EXAMPLE],
                 ["render", "-nprod", EXAMPLE], ["render", "--debug=1", EXAMPLE], ["lint", "-j", "2"],
                 ["render", "--helm-version", "x", EXAMPLE], ["render", "-n"], ["explain"], ["explain", "a", "b"],
                 ["rules", "extra"], ["server", "status"], ["render", "--namespace", "--help", EXAMPLE]):
        assert fastargs.parse(args) is None, args


def test_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fastargs.parse(["render", EXAMPLE]) is not None
    monkeypatch.setenv("_HOOKLINT_COMPLETE", "complete_bash")
    assert fastargs.parse(["render", EXAMPLE]) is None


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out, err


@pytest.mark.parametrize("args", [
    ["render", EXAMPLE],
    ["render", "rel", EXAMPLE, "-n", "prod", "--set", "image.tag=2"],
    ["render", "/no/such/chart"],  # a usage error raised by the command function: exit 2
    ["render", EXAMPLE, "--renderer", "nope"],
    ["lint", EXAMPLE, "-o", "json"],
    ["explain", "HL101"],
])
def test_same_output_and_exit_code_either_way(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                              args: list[str]) -> None:
    assert fastargs.parse(args) is not None
    fast = _run(capsys, args)
    monkeypatch.setattr(fastargs, "parse", lambda args: None)
    assert _run(capsys, args) == fast


def test_a_cold_render_and_lint_import_neither_typer_nor_what_the_chart_does_not_use() -> None:
    """The `hooklint` command itself, no server, no cache: `-X importtime` names every module."""
    env = dict(os.environ, HOOKLINT_NO_CACHE="1", HOOKLINT_NO_SERVER="1", CI="true")
    script = REPO / "scripts" / "hooklint"
    never = {"typer", "click", "rich", "jsonschema", "cryptography", "bcrypt", "kubernetes", "jinja2", "subprocess",
             "argparse", "threading", "difflib", "tarfile", "tempfile", "hooklint.commands.params", "shutil", "pickle",
             # hooklint/runtime/deferred.py: imported on first use only (a dataclass without a
             # docstring on these paths would load inspect: give it one)
             "inspect", "ast", "dis", "tokenize", "ipaddress"}
    for command in ("render", "lint"):
        proc = subprocess.run([sys.executable, "-X", "importtime", str(script), command, EXAMPLE],
                              capture_output=True, text=True, check=False, env=env, cwd=REPO)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        loaded = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
                  if line.startswith("import time:")}
        assert {"hooklint.commands.fastargs", f"hooklint.commands.{command}"} <= loaded
        assert not {m for m in loaded if m.split(".")[0] in never or m in never}, command
