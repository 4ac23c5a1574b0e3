"""The Helm plugin's script (scripts/helm-hooklint.sh): its install hook makes a virtualenv of
its own in the plugin directory and never touches the directory's `.venv` (a plugin installed
from a local checkout is a symlink to the checkout, whose development .venv must survive); runs
go to that virtualenv's hooklint, `lint` being the default command. Python is a recording stub
here: a real install takes a minute."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "helm-hooklint.sh"

STUB = """#!/bin/sh
echo "python $*" >> "$STUB_LOG"
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\necho "venv-python $*" >> "$STUB_LOG"\\n' > "$3/bin/python"
  printf '#!/bin/sh\\necho "hooklint $*"\\n' > "$3/bin/hooklint"
  chmod +x "$3/bin/python" "$3/bin/hooklint"
fi
"""


def test_install_hook_leaves_the_checkouts_venv_alone(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "marker").write_text("developer's venv\n")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "hooklint").symlink_to(checkout)  # what `helm plugin install ./checkout` makes
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(STUB)
    (bin_dir / "python3").chmod(0o755)
    log = tmp_path / "log"
    env = dict(os.environ, PATH=f"{bin_dir}:/usr/bin:/bin", STUB_LOG=str(log),
               HELM_PLUGIN_DIR=str(plugins / "hooklint"))
    install = subprocess.run(["sh", str(SCRIPT), "--install"], env=env, capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr
    venv = plugins / "hooklint" / ".helm-plugin-venv"
    assert log.read_text().splitlines() == [
        f"python -m venv {venv}", f"venv-python -m pip install -q {plugins / 'hooklint'}"]
    assert sorted(p.name for p in (checkout / ".venv" / "bin").iterdir()) == ["marker"]
    run = subprocess.run(["sh", str(SCRIPT), "./chart", "-o", "sarif"], env=env, capture_output=True, text=True,
                         check=False)
    assert (run.returncode, run.stdout) == (0, "hooklint lint ./chart -o sarif\n")
    rules = subprocess.run(["sh", str(SCRIPT), "explain", "HL101"], env=env, capture_output=True, text=True,
                           check=False)
    assert rules.stdout == "hooklint explain HL101\n"
