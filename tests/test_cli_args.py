"""The command line's parsing rules (hooklint/cli.py, hooklint/commands/options.py, on typer):
options before, between or after positionals, values that start with `-`, repeatable options in
order, no abbreviations, usage errors exit 2, Helm's spellings (with the old ones still working and
a deprecation warning), and only the invoked command's module imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hooklint import __version__
from hooklint.cli import build_parser, main, value_options
from hooklint.commands.legacy import modernize

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = str(REPO / "fixtures" / "charts" / "example")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0 if code is None else 1), out, err


def parse(command: str, *args: str) -> dict[str, object]:
    """The keyword arguments the command's function gets (after the old spellings' rewrite)."""
    group = build_parser([command])
    click_command = group.commands[command]
    ctx = click_command.make_context(command, modernize(command, list(args), value_options(click_command)))
    return {k: list(v) if isinstance(v, tuple) else v for k, v in ctx.params.items()}  # typer gives tuples


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"hooklint {__version__}\n", "")
    assert run(capsys, "--version", "render") == (0, f"hooklint {__version__}\n", "")
    for flag in ("-h", "--help"):
        code, out, err = run(capsys, flag)
        assert code == 0 and err == ""
        for command in ("render", "plan", "lint", "apply", "rules", "explain"):
            assert f"\n  {command} " in out
    assert run(capsys, "--version", "-h") == (0, f"hooklint {__version__}\n", "")
    assert run(capsys, "-h", "--version")[1].startswith("Usage: hooklint [OPTIONS] COMMAND")
    assert run(capsys, "--", "--version") == (0, f"hooklint {__version__}\n", "")
    code, out, err = run(capsys, "render", "-h")
    assert code == 0 and out.startswith("Usage: hooklint render [OPTIONS] [NAME] CHART\n")
    assert "--set-string" in out and "5m0s" not in out and "Examples" in out
    code, out, _ = run(capsys, "apply", "--help")
    assert code == 0 and "--times / --no-times" in out and "[default: 5m0s]" in out


def test_no_arguments_print_the_help_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2 and out.startswith("Usage: hooklint") and "render" in out and err == ""


@pytest.mark.parametrize(
    ("argv", "mentions"),
    [
        (["nope"], "nope"),
        (["--bogus"], "--bogus"),
        (["--versio"], "--versio"),
        (["--"], "COMMAND"),
        (["--bogus", "-h"], "--bogus"),  # an unknown option wins over --help, a bad value does not
        (["render", "-h", EXAMPLE, "--bogus"], "--bogus"),
        (["render", EXAMPLE, "-hx"], "-x"),
        (["render", EXAMPLE, "-h", "--set"], "--set"),
        (["render"], "CHART"),
        (["render", EXAMPLE, "--namespac", "x"], "--namespac"),  # no abbreviations
        (["render", EXAMPLE, "--helm-version", "x"], "--helm-version"),
        (["render", EXAMPLE, "--include-crds=yes"], "--include-crds"),
        (["render", EXAMPLE, "--set"], "--set"),
        (["render", EXAMPLE, "name", "extra"], "extra"),
        (["lint", EXAMPLE, "-j", "many"], "--jobs"),
        (["rules", "extra"], "extra"),
        (["explain"], "RULE"),
        (["apply", EXAMPLE, "-e", "rollback", "--revision", "x"], "--revision"),
        (["apply", EXAMPLE, "-e", "rollback", "--revision", "--"], "--revision"),
        (["plan", EXAMPLE, "--description", "x"], "--description"),  # an apply-only option
        (["explain", "-1"], "-1"),  # an unknown option, not a negative number
        (["lint", EXAMPLE, "-x y"], "-x"),
    ],
)
def test_usage_errors_exit_2_with_the_usage_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str], mentions: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "Error: " in err and mentions in err


def test_hooklint_errors_keep_their_message_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", EXAMPLE, "-o", "xml")
    assert (code, out) == (2, "")
    assert err == "Error: --output must be one of text, json, markdown, html, mermaid, not 'xml'\n"
    assert run(capsys, "lint", EXAMPLE, "-o", "x", "-o", "y")[0] == 2
    assert run(capsys, "explain", "HL101")[0] == 0


def test_options_before_between_and_after_positionals(capsys: pytest.CaptureFixture[str]) -> None:
    code, first, _ = run(capsys, "render", "-n", "ns", EXAMPLE, "rel")
    assert code == 0 and "name: rel-example" in first
    assert run(capsys, "render", EXAMPLE, "-n", "ns", "rel")[1] == first
    assert run(capsys, "render", EXAMPLE, "rel", "--namespace=ns")[1] == first
    assert run(capsys, "render", EXAMPLE, "rel", "-nns")[1] == first
    assert run(capsys, "--", "render", EXAMPLE, "rel", "-n", "ns")[1] == first
    assert run(capsys, "render", "-h", EXAMPLE, "--helm-version", "x")[0] == 0
    code, lint_after, _ = run(capsys, "lint", EXAMPLE, "--output", "json")
    assert code == 0 and json.loads(lint_after)["findings"]
    assert run(capsys, "lint", "-o", "json", EXAMPLE) == (0, lint_after, "")


def test_positionals_and_repeatable_options_keep_their_order() -> None:
    got = parse("lint", "a", "--output", "sarif", "b", "--output-file", "x.sarif", "-o", "text", "c", "--select",
                "HL2", "--select", "HL1")  # fmt: skip
    assert got["paths"] == ["a", "b", "c"]
    assert (got["fmt"], got["output"], got["select"]) == (["sarif", "text"], ["x.sarif"], ["HL2", "HL1"])
    got = parse("render", "c", "-s", "b.yaml", "--show-only", "a.yaml", "--set=x=1,y=2", "--set", "x=3", "-f", "2.yaml",
                "--values", "1.yaml")  # fmt: skip
    assert got["show_only"] == ["b.yaml", "a.yaml"]
    assert got["set_"] == ["x=1,y=2", "x=3"] and got["values"] == ["2.yaml", "1.yaml"]
    got = parse("render", "c")
    assert (got["args"], got["name"], got["release_name"], got["namespace"], got["helm_version"]) == (
        ["c"], None, False, "default", None)  # None: the default Helm, resolved when the command runs
    assert not got["set_"] and got["include_crds"] is False
    assert (parse("render", "--", "-c")["args"], parse("render", "-n", "x", "c", "--", "-n")["args"]) == (
        ["-c"], ["c", "-n"])
    assert parse("lint", "a", "--", "-b", "--format")["paths"] == ["a", "-b", "--format"]


def test_an_option_value_may_start_with_a_dash() -> None:
    got = parse("apply", "--set", "-x=1", "-n", "-ns", "--timeout", "-5s", "--revision", "-1", "-f", "-",
                "--description", "--force", "chart")  # fmt: skip
    assert got["set_"] == ["-x=1"] and got["namespace"] == "-ns" and got["timeout"] == "-5s"
    assert got["revision"] == -1 and got["values"] == ["-"]
    assert got["description"] == "--force" and got["force"] is False and got["args"] == ["chart"]
    assert parse("apply", "--description", "--format", "c")["description"] == "--format"  # not an old spelling
    assert parse("lint", "--output-file", "-o", "c")["output"] == ["-o"]
    assert parse("render", "c", "-s=x", "-sy", "--show-only=z")["show_only"] == ["=x", "y", "z"]  # as click read them
    got = parse("render", "c", "-n", "--", "--set=--", "-s", "--", "--show-only", "x", "--", "--set")
    assert (got["namespace"], got["set_"], got["show_only"], got["args"]) == ("--", ["--"], ["--", "x"], ["c", "--set"])


def test_boolean_flags() -> None:
    assert parse("apply", "c")["times"] is None
    assert parse("apply", "c", "--times")["times"] is True
    assert parse("apply", "c", "--times", "--no-times")["times"] is False
    got = parse("plan", "c", "--wait", "--atomic")
    assert (got["wait"], got["atomic"], got["wait_for_jobs"]) == (True, True, False)


@pytest.mark.parametrize("command", ["render", "plan", "lint", "apply", "rules", "explain"])
def test_only_the_invoked_commands_module_is_imported(command: str) -> None:
    code = (
        "import sys\n"
        "from hooklint.cli import build_parser\n"
        f"build_parser([{command!r}, '--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('hooklint.commands.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    module = "rules" if command == "explain" else command
    # options: what the commands share; params: the shared options' typer declarations
    expected = ["hooklint.commands.options", "hooklint.commands.params", f"hooklint.commands.{module}"]
    assert out.strip() == str(sorted(expected))


def test_version_fast_path_and_a_client_without_the_cli_framework() -> None:
    """`--version` and the `hooklint` command's client (which hands runs to a server) import no
    CLI framework: typer and its click cost tens of milliseconds, paid only by a run that
    hooklint's own parser leaves to typer (help, errors) in its own process (a server's workers
    have them imported already)."""
    code = (
        "import sys\n"
        "from hooklint.cli import main\n"
        "import hooklint.runtime.client\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('argparse', 'typer', 'click', 'rich', 'hooklint.commands', 'shutil', 'subprocess')\n"
        "print(sorted(m for m in sys.modules if m in heavy), file=sys.stderr)\n"
    )
    version = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout == f"hooklint {__version__}\n" and version.stderr == "[]\n"
    render = subprocess.run([sys.executable, "-c", code, "render", EXAMPLE], capture_output=True, text=True,
                            check=True)  # fmt: skip
    # A plain render is parsed by hooklint/commands/fastargs.py: no typer either
    assert render.stdout.startswith("---\n") and "'typer'" not in render.stderr and "rich" not in render.stderr
    script = (REPO / "scripts" / "hooklint").read_text(encoding="utf-8")
    assert "from hooklint.runtime.client import main" in script
