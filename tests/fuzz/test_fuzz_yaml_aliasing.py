"""Billion-laughs documents: refused like go-yaml v2 ("document contains excessive aliasing"),
quickly, by both YAML readers (manifests and fromYaml/values), at exactly Helm's threshold."""

from __future__ import annotations

import pytest
from cli_harness import run_cli
from helm_oracle import HAVE_HELM

from hooklint.documents.manifests_yaml import YamlSyntaxError, parse_yaml
from hooklint.gotemplate.yaml_decode import GoYAMLError, decode_goyaml


def bomb(width: int, depth: int) -> str:
    lines = [f"a: &a [{','.join(['x'] * width)}]"]
    for i in range(depth):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * width)}]")
    return "\n".join(lines) + "\n"


# (document, does Helm's fromYaml refuse it) - recorded through the oracle below
BORDERLINE = [bomb(7, 3), bomb(7, 4), bomb(10, 2), bomb(10, 3), bomb(3, 6), bomb(3, 7), bomb(2, 10)]


def _refused(parse: object, doc: str) -> bool:
    try:
        parse(doc)  # type: ignore[operator]
    except (YamlSyntaxError, GoYAMLError) as e:
        return "excessive aliasing" in str(e)
    return False


@pytest.mark.skipif(not HAVE_HELM, reason="needs the Helm oracle")
def test_alias_threshold_matches_helm() -> None:
    from goyaml_oracle import helm_pipeline  # type: ignore[import-not-found]

    helm = helm_pipeline(BORDERLINE, "fromYaml | toJson")
    assert isinstance(helm, list)
    expected = ["excessive aliasing" in out for out in helm]
    assert expected.count(True) and expected.count(False)  # the table straddles the threshold
    assert [_refused(parse_yaml, d) for d in BORDERLINE] == expected
    assert [_refused(decode_goyaml, d) for d in BORDERLINE] == expected


def test_rendered_bomb_fails_fast_with_helm_wording(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rendered = tmp_path / "out.yaml"
    rendered.write_text("---\n# Source: c/templates/a.yaml\n" + bomb(9, 8))
    result = run_cli(["plan", "--rendered", str(rendered)], timeout=10)
    assert result.code == 1, result.stderr
    assert "YAML parse error on c/templates/a.yaml" in result.stderr
    assert "document contains excessive aliasing" in result.stderr
    assert result.seconds < 5
