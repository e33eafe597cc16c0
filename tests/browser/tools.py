"""What the browser tests need from the machine: Debian's chromium and axe-core (installed by
`make test` with npm). Locally, a missing one skips those tests, said in one line; with CI=true
it fails them."""

import os
from pathlib import Path

from spend.paths import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}

NO_CHROMIUM = (
    f"tests navigateur ignorés : {CHROMIUM} introuvable (apt-get install chromium ; "
    "avec CI=true ils échouent)"
)
NO_AXE = (
    f"tests d'accessibilité ignorés : {AXE_JS.relative_to(ROOT)} absent (npm ci, fait par "
    "`make test` ; avec CI=true ils échouent)"
)
