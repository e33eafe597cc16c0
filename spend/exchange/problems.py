"""A problem found in a user's file, said in French with its file, line and column.

A bad file of 500 000 rows can hold millions of problems: a refusal lists the first
MAX_LISTED in the file's order, then one line that counts the others per file and column.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from spend.domain.french import thousands

MAX_LISTED = 1_000  # problems listed one by one, in the command line and on the page


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str
    # More than 1: the problems of `column` in `file` past those listed, counted, not kept.
    count: int = 1

    @classmethod
    def of_file(cls, file: str, message: str) -> "Problem":
        """A problem of the file as a whole: no line, no column."""
        return cls(file, None, None, message)

    def __str__(self) -> str:
        if self.count > 1:
            where = f"{self.file}, {self.column}" if self.column else self.file
            return f"{where} : … et {thousands(self.count)} autres problèmes"
        if self.line is not None:
            where = f"{self.file}, ligne {self.line}"
            if self.column:
                where += f", {self.column}"
            return f"{where} : {self.message}"
        return f"{self.file} : {self.message}"


def counted(file: str, column: str | None, count: int) -> Problem:
    """`count` problems of one column of a file, beyond those listed."""
    return Problem(file, None, column, "", count)


class ImportRefused(Exception):  # noqa: N818 (reads as what happened)
    """The import found problems and wrote nothing.

    `problems` lists at most MAX_LISTED of them, by file and line; `omitted` counts the others
    per (file, column); `count` is their total.
    """

    def __init__(
        self, problems: list[Problem], omitted: Mapping[tuple[str, str | None], int] | None = None
    ) -> None:
        counts: Counter[tuple[str, str | None]] = Counter(omitted or {})
        single = []
        for problem in problems:
            if problem.count > 1:
                counts[(problem.file, problem.column)] += problem.count
            else:
                single.append(problem)
        # By file and line; within a line, in the order found (cells in column order, then
        # references), which a stable sort keeps.
        single.sort(key=lambda p: (p.file, p.line or 0))
        for problem in single[MAX_LISTED:]:
            counts[(problem.file, problem.column)] += 1
        self.problems = single[:MAX_LISTED]
        self.omitted = dict(counts)
        self.count = len(self.problems) + sum(counts.values())
        super().__init__(f"{self.count} problème(s)")

    def __reduce__(self) -> tuple[type, tuple[list[Problem], dict]]:
        return (ImportRefused, (self.problems, self.omitted))

    def lines(self) -> list[str]:
        """The listed problems, then « … et N autres problèmes (file, column : n ; …) »."""
        listed = [str(problem) for problem in self.problems]
        if self.omitted:
            rest = sum(self.omitted.values())
            parts = [
                f"{file}, {column} : {thousands(n)}" if column else f"{file} : {thousands(n)}"
                for (file, column), n in sorted(
                    self.omitted.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or "")
                )
            ]
            word = "autre problème" if rest == 1 else "autres problèmes"
            listed.append(f"… et {thousands(rest)} {word} ({' ; '.join(parts)})")
        return listed
