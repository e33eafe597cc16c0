"""A problem found in a user's file, said in French with its file, line and column."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None:
            where = f"{self.file}, ligne {self.line}"
            if self.column:
                where += f", {self.column}"
            return f"{where} : {self.message}"
        return f"{self.file} : {self.message}"


class ImportRefused(Exception):  # noqa: N818 (reads as what happened)
    """The import found problems and wrote nothing."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problème(s)")
        # By file and line; within a line, in the order found (cells in column order, then
        # references), which a stable sort keeps.
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
