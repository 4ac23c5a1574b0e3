"""Check Mermaid documents with Mermaid's own parser, in headless Chromium (opt-in, not CI).

    python tools/check_mermaid.py MERMAID_JS FILE.mmd...

MERMAID_JS is `dist/mermaid.min.js` of the `mermaid` npm package (`npm pack mermaid`, untar);
Chromium comes from the system (`apt-get install chromium`). Each file must parse as one diagram
(`mermaid.parse`); prints `OK FILE` or the parser's error, exit 1 when any fails.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGE = """<!doctype html><html><body><pre id="out">pending</pre>
<script src="{script}"></script>
<script>
mermaid.initialize({{startOnLoad: false}});
mermaid.parse({text}).then(
  r => {{ document.getElementById("out").textContent = "OK " + r.diagramType; }},
  e => {{ document.getElementById("out").textContent = "ERROR " + (e && e.message || e); }});
</script></body></html>"""


def check(mermaid_js: Path, text: str, chromium: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "check.html"
        page.write_text(PAGE.format(script=mermaid_js.resolve().as_uri(), text=json.dumps(text)), encoding="utf-8")
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
             "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False,
        ).stdout
    start = dom.find('<pre id="out">')
    return html.unescape(dom[start + 14:dom.find("</pre>", start)]) if start >= 0 else "ERROR no page"


def main(argv: list[str]) -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if len(argv) < 2 or chromium is None:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    for name in argv[1:]:
        verdict = check(Path(argv[0]), Path(name).read_text(encoding="utf-8"), chromium)
        print(f"{verdict.split(' ', 1)[0]} {name}: {verdict}")
        failed += not verdict.startswith("OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
