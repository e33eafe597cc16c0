"""Word (.docx) and OpenDocument (.odt) copies of deliberation texts, written at test time: a line
is a paragraph, and consecutive lines whose cells stand apart by « | » are one table."""

from pathlib import Path

from docx import Document
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P


def _blocks(text: str) -> list[str | list[list[str]]]:
    blocks: list[str | list[list[str]]] = []
    for line in text.split("\n"):
        if " | " in line:
            cells = line.split(" | ")
            if blocks and isinstance(blocks[-1], list):
                blocks[-1].append(cells)
            else:
                blocks.append([cells])
        else:
            blocks.append(line)
    return blocks


def write_docx(text: str, path: Path) -> None:
    document = Document()
    for block in _blocks(text):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for row, cells in zip(table.rows, block, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
    document.save(str(path))


def write_odt(text: str, path: Path) -> None:
    document = OpenDocumentText()
    for block in _blocks(text):
        if isinstance(block, str):
            document.text.addElement(P(text=block))
            continue
        table = Table()
        table.addElement(TableColumn(numbercolumnsrepeated=max(len(row) for row in block)))
        for cells in block:
            row = TableRow()
            for value in cells:
                cell = TableCell()
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        document.text.addElement(table)
    document.save(str(path))
