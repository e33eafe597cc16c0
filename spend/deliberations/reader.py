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

from pathlib import Path

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
from spend.deliberations.evidence import Span, field_evidence
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
    StatedFee,
)
from spend.deliberations.structure import Structure, structure
from spend.deliberations.text import deliberation_text, lowered, normalised

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


def read_deliberation_text(text: str) -> DeliberationReading:
    """Read the fields a deliberation states; see the module docstring for the rules."""
    norm = normalised(text)
    low = lowered(norm)
    parts = structure(norm, low)
    warnings: list[str] = []
    located = _Located()

    number = header.deliberation_id(norm, parts.heading_end, parts.in_recital)
    if number is None:
        warnings.append(MSG_NO_ID)
    meeting, meeting_found = dates.meeting_date(
        norm, low, parts.heading_end, parts.in_recital, warnings
    )
    assembly = header.assembly(norm, parts.heading_end)
    if assembly is None:
        warnings.append(MSG_NO_ASSEMBLY)
    title = header.title(norm, low, parts.heading_end, number)
    if title is None:
        warnings.append(MSG_NO_TITLE)
    authority = header.authority(norm, parts.heading_end)

    vote = votes.read_votes(norm, low, parts.decision_start, parts.operative_start, parts.body_end)
    table = _budget_table(norm, parts, vote)
    rows = table.rows
    warnings.extend(table.warnings)
    vote = votes.check_votes(vote, warnings)
    if vote.outcome is None:
        warnings.append(MSG_NO_OUTCOME)
        if all(n is None for n in vote.counts.values()):
            warnings.append(MSG_CUT_SHORT_AFTER_DECIDE if parts.decide_found else MSG_CUT_SHORT)

    # Fees cited in « Vu » are earlier decisions'; budget rows are no fees.
    table_span = [(rows[0].start, table.end)] if rows else []
    skipped = fees.in_spans(sorted([*parts.citations, *table_span]))
    decision = (parts.operative_start, parts.body_end) if parts.decision_start is not None else None
    grid_tax = fees.grid_taxes(norm, low)
    in_grid = fees.in_spans(grids.grid_spans(norm, low))
    proposed = centrals.proposed_centrals(norm)
    read_fees = fees.fee_statements(
        norm,
        low,
        skipped,
        decision,
        warnings,
        in_grid=in_grid,
        extra_centrals=tuple(p.name for p in proposed if p.name.startswith("Syndicat ")),
    )
    statements = fees.checked_against_grids(read_fees, grid_tax)
    kept = fees.kept_fees(
        statements,
        grid_tax,
        parts.report_start,
        warnings,
        authority=authority.value if authority else None,
    )
    matter = subject.subject(
        norm, low, parts.heading_end, (title.start, title.end) if title else None, decision
    )

    for field, found in (
        ("deliberation_id", number),
        ("date", meeting_found),
        ("assembly", assembly),
        ("title", title),
        ("authority", authority),
        ("vote_kind", vote.unanimous or vote.majority),
        ("not_voting", vote.not_voting_found),
        ("outcome", vote.outcome_found),
    ):
        located.found(field, found)
    count_confidence = Confidence.SURE if vote.consistent else Confidence.CHECK
    for kind, field in (
        ("for", "votes_for"),
        ("against", "votes_against"),
        ("abstentions", "abstentions"),
    ):
        if kind in vote.count_spans:
            located.add(field, vote.count_spans[kind], count_confidence)
    located.items("budget_rows", [((r.start, r.end), r.confidence) for r in rows])
    located.items("fee_statements", [((f.start, f.end), f.confidence) for f in statements])
    located.items("fees", [((k.source.start, k.source.end), k.confidence) for k in kept])
    if matter is not None:
        located.add("subject_code", (matter.start, matter.end), matter.confidence)
    located.items("proposed_centrals", [((p.start, p.end), p.confidence) for p in proposed])

    return DeliberationReading(
        deliberation_id=number.value if number else None,
        date=meeting,
        assembly=assembly.value if assembly else None,
        title=title.value if title else None,
        votes_for=vote.counts["for"],
        votes_against=vote.counts["against"],
        abstentions=vote.counts["abstentions"],
        outcome=vote.outcome,
        budget_rows=tuple(r.row for r in rows),
        fees=tuple(k.fee for k in kept),
        warnings=tuple(warnings),
        authority=authority.value if authority else None,
        vote_kind=vote.kind,
        not_voting=vote.not_voting,
        fee_statements=tuple(s.statement for s in statements),
        evidence=located.evidence(norm),
        subject_code=matter.code if matter else None,
        subject_name=matter.name if matter else None,
        proposed_centrals=tuple(p.name for p in proposed),
    )


def _budget_table(norm: str, parts: Structure, vote: votes.Votes) -> budget_table.BudgetTable:
    """The budget table belongs to the operative part, up to the vote: a text without an
    operative part has none to read."""
    end = parts.operative_start
    if parts.decision_start is not None:
        end = min(vote.vote_start if vote.vote_start is not None else len(norm), parts.body_end)
    return budget_table.read_budget_table(norm, parts.operative_start, end)


class _Located:
    """Where each field's value was read, and how sure the reading is; the reading's fields
    in the order a manager reviews them."""

    def __init__(self) -> None:
        self._spans: dict[str, tuple[Span, Confidence]] = {}
        self._fields = list(SCALAR_FIELDS)

    def add(self, field: str, span: Span, confidence: Confidence) -> None:
        self._spans[field] = (span, confidence)

    def found(self, field: str, found: header.Found | None) -> None:
        if found is not None:
            self.add(field, (found.start, found.end), found.confidence)

    def items(self, name: str, spans: list[tuple[Span, Confidence]]) -> None:
        for index, (span, confidence) in enumerate(spans):
            self._fields.append(f"{name}.{index}")
            self.add(f"{name}.{index}", span, confidence)

    def evidence(self, norm: str) -> tuple[FieldEvidence, ...]:
        return field_evidence(norm, self._spans, self._fields)
