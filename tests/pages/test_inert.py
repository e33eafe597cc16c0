"""Stored words and file names are shown as written: no link, image or emphasis from them."""

import io
import re
import zipfile
from pathlib import Path

from tests.pages.conftest import assert_clean, open_page

PAYLOAD = "[clic ici](https://exemple.invalid) ![p](http://exemple.invalid/x.png)"
CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    f'C06-020M02,6281/930202,"**{PAYLOAD}**",2024,10.00\n'
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("budget_lines.csv", CREDITS)
    return buffer.getvalue()


def _markdown_sources(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success]
    return "\n".join(parts).replace("\u2060", "")  # the joiner that breaks bare links


def test_a_file_name_and_a_label_stay_text_wherever_shown(app_db: Path) -> None:
    at = open_page("pages/data.py")
    name = f"{PAYLOAD}.zip"
    at.file_uploader(key="data_upload_0").set_value((name, _zip(), "application/zip")).run()
    at.button(key="data_import").click().run()
    assert_clean(at)
    at = open_page("pages/budget.py", annee="2024")
    assert_clean(at)
    shown = _markdown_sources(at)
    # Every bracket and parenthesis of the payload is escaped: Markdown shows them as text.
    assert r"\[clic ici\]\(https\://exemple\.invalid\)" in shown
    assert not re.search(r"(?<!\\)\[clic ici\](?<!\\)\(https", shown)
    assert r"\!\[p\]" in shown
