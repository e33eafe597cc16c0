"""PDF copies of deliberation texts, written at test time with fpdf2."""

from pathlib import Path

from fpdf import FPDF

# Core PDF fonts only take latin-1: without a Unicode font on the machine, a text's few other
# characters are replaced by ASCII stand-ins, in the PDF only.
LATIN1_STAND_INS = {"’": "'", "‐": "-", "–": "-", "…": "...", "€": "EUR", "œ": "oe", "☐": "[ ]"}


def unicode_font() -> Path | None:
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if root.is_dir():
            found = sorted(root.rglob("DejaVuSans.ttf"))
            if found:
                return found[0]
    return None


def write_pdf(text: str, path: Path, *, font: Path | None) -> str:
    """Write text one line per PDF line and return the text as written."""
    pdf = FPDF(orientation="L")
    if font is not None:
        pdf.add_font("Body", fname=str(font))
        pdf.set_font("Body", size=8)
    else:
        text = "".join(LATIN1_STAND_INS.get(c, c) for c in text)
        text = text.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font("helvetica", size=8)
    pdf.add_page()
    for line in text.split("\n"):
        # A cell never wraps, so each line of the text stays one line of the PDF.
        pdf.cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return text
