"""The Sprig function map: lazily registered modules list exactly their modules' functions,
registering imports none of the heavy dependencies, and a lazy function behaves like the
function it stands for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from conformance import error_tail
from helm_oracle import HAVE_HELM, HelmFailure, helm_render_snippet

from hooklint.gotemplate.gotypes import LazyGoFunc, signature_of
from hooklint.gotemplate.sprig import LAZY_MODULES, MODULES, sprig_funcs
from hooklint.gotemplate.template import TemplateExecError, TemplateSet


@pytest.mark.parametrize("module", sorted(LAZY_MODULES))
def test_lazy_names_match_module(module: str) -> None:
    """A lazy module's list names every function of its FUNCS, except those a module listed
    before it already registers with the very same implementation (crypto's checksums)."""
    funcs = importlib.import_module(f"hooklint.gotemplate.sprig.{module}").FUNCS
    earlier: dict[str, object] = {}
    for name in MODULES[: MODULES.index(module)]:
        if name not in LAZY_MODULES:
            earlier.update(importlib.import_module(f"hooklint.gotemplate.sprig.{name}").FUNCS)
    own = sorted(n for n, fn in funcs.items() if earlier.get(n) is not fn)
    assert sorted(LAZY_MODULES[module]) == own


def test_lazy_modules_are_sprig_modules() -> None:
    assert set(LAZY_MODULES) <= set(MODULES)


def test_lazy_entries_resolve_to_the_same_signature() -> None:
    for name, fn in sprig_funcs().items():
        if isinstance(fn, LazyGoFunc):
            assert signature_of(fn) == signature_of(fn.resolve()), name


def test_registering_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from hooklint.gotemplate.sprig import sprig_funcs\n"
        "from hooklint.gotemplate.template import TemplateSet\n"
        "ts = TemplateSet(sprig_funcs())\n"
        "ts.parse('t', '{{ upper \"a\" | sha256sum }}')\n"
        "ts.execute_text('t', None)\n"
        "heavy = [m for m in ('cryptography', 'bcrypt', 're2', 'zoneinfo', 'uuid') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_function_runs_when_called() -> None:
    ts = TemplateSet(sprig_funcs())
    ts.parse("t", '{{ regexReplaceAll "a+" "baaac" "x" }} {{ semverCompare ">1.0" "1.2.0" }}')
    assert ts.execute_text("t", None) == "bxc true"


@pytest.mark.skipif(not HAVE_HELM, reason="needs helm_python")
def test_lazy_function_type_errors_like_helm() -> None:
    template = "{{ regexMatch 1 2 }}"
    helm = helm_render_snippet(template)
    assert isinstance(helm, HelmFailure)
    ts = TemplateSet(sprig_funcs())
    ts.parse("t", template)
    with pytest.raises(TemplateExecError) as e:
        ts.execute_text("t", None)
    assert error_tail(e.value.message) == error_tail(helm.message)
