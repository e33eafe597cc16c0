"""Read the text of a French local authority's deliberation into structured fields.

The reader works from the structure deliberations share (`structure`): the heading gives the
number, authority, assembly, date and object (`header`, `dates`); the operative part its budget
table (`budget_table`); the vote its counts and outcome (`votes`); any article, annex or report
the fees (`fees`). It only reports what the document states. A field the text does not give
comes back None together with a French warning naming it; figures that contradict each other
are kept as stated and flagged. Nothing is guessed: each value carries the line it was read
from and a confidence (`evidence`), for a manager to check before saving.

Every pattern is linear in the text's length and every loop over findings is bounded, so a
long or hostile text is read in time proportional to its size.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from spend.deliberations import (
    budget_table,
    centrals,
    dates,
    fees,
    grids,
    header,
    subject,
    votes,
)
from spend.deliberations.amounts import parse_french_amount
from spend.deliberations.evidence import field_evidence
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
    Confidence,
    DeliberationReadError,
    DeliberationReading,
    FeeStatement,
    FieldEvidence,
    Found,
    Part,
    StatedFee,
)
from spend.deliberations.structure import Structure, structure
from spend.deliberations.subject import NOMENCLATURE
from spend.deliberations.text import Text, deliberation_text

__all__ = [
    "BudgetRow",
    "DeliberationReadError",
    "DeliberationReading",
    "FeeStatement",
    "StatedFee",
    "parse_french_amount",
    "read_deliberation_bytes",
    "read_deliberation_file",
    "read_deliberation_text",
]

# The reading's own fields, in the order a manager reviews them.
SCALAR_FIELDS = (
    "deliberation_id",
    "date",
    "authority",
    "assembly",
    "title",
    "votes_for",
    "votes_against",
    "abstentions",
    "vote_kind",
    "not_voting",
    "outcome",
    "subject_code",
)


def read_deliberation_file(path: Path) -> DeliberationReading:
    """Read a deliberation from a .txt (UTF-8, else Windows-1252), a .pdf with a text layer, a
    Word .docx or an OpenDocument .odt."""
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


def read_deliberation_text(raw: str) -> DeliberationReading:
    """Read the fields a deliberation states; see the module docstring for the rules."""
    parts = structure(Text.of(raw))
    heading = _heading(parts)
    vote = _vote_and_table(parts)
    fee = _fees(parts, vote.value.table, heading.value.authority)
    title = heading.value.title
    matter = subject.subject(parts, title)
    warnings = (*heading.warnings, *vote.warnings, *fee.warnings)
    return _reading(heading.value, vote.value, fee.value, matter, warnings, parts.text)


@dataclass(frozen=True)
class _Heading:
    number: Found[str] | None
    meeting: Found[date] | None
    assembly: Found[str] | None
    title: Found[str] | None
    authority: Found[str] | None


def _heading(parts: Structure) -> Part[_Heading]:
    """The number, the meeting's date, the assembly, the object and the authority."""
    number = header.deliberation_id(parts)
    meeting = dates.meeting_date(parts)
    assembly = header.assembly(parts.heading)
    title = header.title(parts, number)
    found = _Heading(number, meeting.value, assembly, title, header.authority(parts.heading))
    warnings = (
        *(() if number else (MSG_NO_ID,)),
        *meeting.warnings,
        *(() if assembly else (MSG_NO_ASSEMBLY,)),
        *(() if title else (MSG_NO_TITLE,)),
    )
    return Part(found, warnings)


@dataclass(frozen=True)
class _VoteAndTable:
    votes: votes.Votes
    table: budget_table.BudgetTable


def _vote_and_table(parts: Structure) -> Part[_VoteAndTable]:
    """The vote, checked, and the budget table, which ends where the vote is written."""
    read = votes.read_votes(parts)
    table = _budget_table(parts, read)
    checked = votes.check_votes(read)
    vote = checked.value
    missing: tuple[str, ...] = ()
    if vote.outcome is None:
        missing = (MSG_NO_OUTCOME,)
        if all(n is None for n in vote.counts.values()):
            missing += (MSG_CUT_SHORT_AFTER_DECIDE if parts.decide_found else MSG_CUT_SHORT,)
    warnings = (*table.warnings, *checked.warnings, *missing)
    return Part(_VoteAndTable(vote, table.value), warnings)


def _budget_table(parts: Structure, vote: votes.Votes) -> Part[budget_table.BudgetTable]:
    """The budget table belongs to the operative part, up to the vote: a text without an
    operative part has none to read."""
    end = parts.operative_start
    if parts.decision_start is not None:
        vote_start = vote.vote_start if vote.vote_start is not None else len(parts.text)
        end = min(vote_start, parts.body_end)
    return budget_table.read_budget_table(parts.text.window(parts.operative_start, end))


@dataclass(frozen=True)
class _Fees:
    statements: tuple[fees.ReadFee, ...]
    kept: tuple[Found[StatedFee], ...]
    proposed: list[Found[str]]


def _fees(
    parts: Structure, table: budget_table.BudgetTable, authority: Found[str] | None
) -> Part[_Fees]:
    """The fees the text states and the one kept per central, with the new centrals it
    introduces. Fees cited in « Vu » are earlier decisions'; budget rows are no fees."""
    text, rows = parts.text, table.rows
    table_span = [(rows[0].start, table.end)] if rows else []
    skipped = fees.in_spans(sorted([*parts.citations, *table_span]))
    grid_tax = fees.grid_taxes(text)
    proposed = centrals.proposed_centrals(text)
    read = fees.fee_statements(
        text,
        skipped,
        parts.decision,
        in_grid=fees.in_spans(grids.grid_spans(text)),
        extra_centrals=tuple(p.value for p in proposed if p.value.startswith("Syndicat ")),
    )
    statements = fees.checked_against_grids(read.value, grid_tax)
    kept = fees.kept_fees(
        statements,
        grid_tax,
        parts.text.window(parts.report_start),
        authority=authority.value if authority else None,
    )
    return Part(_Fees(statements, kept.value, proposed), (*read.warnings, *kept.warnings))


def _reading(
    heading: _Heading,
    vote: _VoteAndTable,
    fee: _Fees,
    matter: Found[str] | None,
    warnings: tuple[str, ...],
    text: Text,
) -> DeliberationReading:
    """The reading's values, with the evidence of each."""
    counts = vote.votes.counts

    def value(found: Found[Any] | None) -> Any:
        return found.value if found is not None else None

    return DeliberationReading(
        deliberation_id=value(heading.number),
        date=value(heading.meeting),
        assembly=value(heading.assembly),
        title=value(heading.title),
        votes_for=counts["for"],
        votes_against=counts["against"],
        abstentions=counts["abstentions"],
        outcome=vote.votes.outcome,
        budget_rows=tuple(r.value for r in vote.table.rows),
        fees=tuple(k.value for k in fee.kept),
        warnings=warnings,
        authority=value(heading.authority),
        vote_kind=vote.votes.kind,
        not_voting=vote.votes.not_voting,
        fee_statements=tuple(s.value.statement for s in fee.statements),
        evidence=_evidence(heading, vote, fee, matter, text),
        subject_code=value(matter),
        subject_name=NOMENCLATURE[matter.value] if matter else None,
        proposed_centrals=tuple(p.value for p in fee.proposed),
    )


def _evidence(
    heading: _Heading,
    vote: _VoteAndTable,
    fee: _Fees,
    matter: Found[str] | None,
    text: Text,
) -> tuple[FieldEvidence, ...]:
    """Where each field's value was read, and how sure the reading is; the reading's fields
    in the order a manager reviews them."""
    read = vote.votes
    located: dict[str, Found[Any] | None] = {
        "deliberation_id": heading.number,
        "date": heading.meeting,
        "assembly": heading.assembly,
        "title": heading.title,
        "authority": heading.authority,
        "vote_kind": read.unanimous or read.majority,
        "not_voting": read.not_voting_found,
        "outcome": read.outcome_found,
        "subject_code": matter,
    }
    count_confidence = Confidence.SURE if read.consistent else Confidence.CHECK
    for kind, field in (
        ("for", "votes_for"),
        ("against", "votes_against"),
        ("abstentions", "abstentions"),
    ):
        if kind in read.counted:
            located[field] = replace(read.counted[kind], confidence=count_confidence)
    fields = list(SCALAR_FIELDS)
    lists: tuple[tuple[str, Sequence[Found[Any]]], ...] = (
        ("budget_rows", vote.table.rows),
        ("fee_statements", fee.statements),
        ("fees", fee.kept),
        ("proposed_centrals", fee.proposed),
    )
    for name, items in lists:
        for index, item in enumerate(items):
            fields.append(f"{name}.{index}")
            located[f"{name}.{index}"] = item
    found = {field: item for field, item in located.items() if item is not None}
    return field_evidence(text, found, fields)
