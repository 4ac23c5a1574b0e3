"""`plan -o mermaid` is one Mermaid document: a Mermaid source holds exactly one diagram, so
`--event all` makes each event a subgraph of one flowchart (checked against Mermaid 11's parser
with tools/check_mermaid.py; this test keeps the shape that parser accepted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "fixtures" / "charts" / "example")


def mermaid(capsys: pytest.CaptureFixture[str], event: str) -> list[str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", EXAMPLE, "--event", event, "-o", "mermaid", "--no-cache"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out.splitlines()


def test_all_events_are_subgraphs_of_one_flowchart(capsys: pytest.CaptureFixture[str]) -> None:
    lines = mermaid(capsys, "all")
    assert lines[0] == "flowchart TD" and sum(line.startswith("flowchart") for line in lines) == 1
    subgraphs = [line.split("[", 1)[0].split()[1] for line in lines if line.startswith("  subgraph ")]
    assert subgraphs == ["install", "upgrade", "rollback", "uninstall", "test"]
    assert sum(line == "  end" for line in lines) == 5
    for event in subgraphs:  # each event's nodes stay inside its subgraph
        first = lines.index(next(line for line in lines if line.startswith(f"  subgraph {event}[")))
        last = lines.index("  end", first)
        assert all(line.startswith(f"    {event}_") or line == "    direction TB" for line in lines[first + 1:last])


def test_one_event_is_a_plain_flowchart(capsys: pytest.CaptureFixture[str]) -> None:
    lines = mermaid(capsys, "install")
    assert lines[0] == "flowchart TD" and lines[1].startswith("  %% helm install (Helm 3): example")
    assert not any("subgraph" in line for line in lines)
    assert "  install_s9 --> install_end" in lines
