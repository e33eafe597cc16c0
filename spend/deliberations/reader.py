"""Read the text of a French local authority's deliberation into structured fields.

The reader only reports what the document states. A field the text does not give comes back
None together with a French warning naming it; figures that contradict each other are kept as
stated and flagged. Nothing is guessed.
"""

from pathlib import Path

from spend.deliberations import budget_table, header, votes
from spend.deliberations import fees as fee_statements
from spend.deliberations.amounts import parse_french_amount
from spend.deliberations.messages import (
    MSG_CUT_SHORT,
    MSG_CUT_SHORT_AFTER_DECIDE,
    MSG_NO_ASSEMBLY,
    MSG_NO_ID,
    MSG_NO_OUTCOME,
    MSG_NO_TITLE,
    MSG_READ_MISSING,
    MSG_READ_OS,
)
from spend.deliberations.model import (
    BudgetRow,
    DeliberationReadError,
    DeliberationReading,
    Outcome,
    StatedFee,
)
from spend.deliberations.text import deliberation_text, first_start, normalised

__all__ = [
    "BudgetRow",
    "DeliberationReadError",
    "DeliberationReading",
    "StatedFee",
    "parse_french_amount",
    "read_deliberation_bytes",
    "read_deliberation_file",
    "read_deliberation_text",
]


def read_deliberation_file(path: Path) -> DeliberationReading:
    """Read a deliberation from a .txt (UTF-8, else Windows-1252) or a .pdf with a text layer."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DeliberationReadError(MSG_READ_MISSING.format(name=path.name)) from exc
    except OSError as exc:
        raise DeliberationReadError(MSG_READ_OS.format(name=path.name)) from exc
    return read_deliberation_bytes(data, path.name)


def read_deliberation_bytes(data: bytes, filename: str) -> DeliberationReading:
    """Same as read_deliberation_file, for content already in memory (an uploaded file)."""
    return read_deliberation_text(deliberation_text(data, filename))


def read_deliberation_text(text: str) -> DeliberationReading:
    """Read the fields a deliberation states; see the module docstring for the rules."""
    norm = normalised(text)
    warnings: list[str] = []

    head = norm[: first_start(header.HEADER_END, norm, default=len(norm))]
    decide = header.DECIDE.search(norm)
    after_decide = decide.end() if decide else 0

    deliberation_id = header.deliberation_id(norm)
    if deliberation_id is None:
        warnings.append(MSG_NO_ID)
    meeting_date = header.meeting_date(norm, head, warnings)
    assembly = header.assembly(head)
    if assembly is None:
        warnings.append(MSG_NO_ASSEMBLY)
    title = header.title(norm)
    if title is None:
        warnings.append(MSG_NO_TITLE)

    counts = votes.votes(norm, after_decide)
    outcome_match = votes.first_match(votes.OUTCOMES, norm, after_decide)
    outcome: Outcome | None = None
    if outcome_match is not None:
        outcome = "adopted" if outcome_match[1].lower().startswith("adopt") else "rejected"

    vote_section = votes.VOTE_SECTION.search(norm, after_decide)
    section_starts = [p for p in counts.positions if p >= after_decide]
    section_starts += [outcome_match[0]] if outcome_match else []
    section_starts += [vote_section.start()] if vote_section else []
    budget_end = min(section_starts, default=len(norm))
    budget_rows = budget_table.budget_rows(norm[after_decide:budget_end], warnings)
    votes.check_votes(counts, outcome, warnings)
    if outcome is None:
        warnings.append(MSG_NO_OUTCOME)
        if all(n is None for n in counts.counts.values()):
            warnings.append(MSG_CUT_SHORT_AFTER_DECIDE if decide else MSG_CUT_SHORT)
    stated_fees = fee_statements.fees(norm, warnings)

    return DeliberationReading(
        deliberation_id=deliberation_id,
        date=meeting_date,
        assembly=assembly,
        title=title,
        votes_for=counts.counts["for"],
        votes_against=counts.counts["against"],
        abstentions=counts.counts["abstentions"],
        outcome=outcome,
        budget_rows=budget_rows,
        fees=stated_fees,
        warnings=tuple(warnings),
    )
