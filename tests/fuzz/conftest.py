from __future__ import annotations

import sys
from pathlib import Path

# the fuzz helpers (cli_harness, broken_inputs, side_inputs) and the YAML oracle are plain modules
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "gotemplate"))
