"""Cards (figures with a label) and the changes they show, coloured by what the change means.

A lower balance or a higher commitment is bad whatever its arrow: the colour says good or bad,
the arrow says up or down. Streamlit guesses the sign of a text delta from an ASCII hyphen,
which a French minus sign (−) is not, so the direction and colour are always given here.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from spend.views.formatting import euros

DeltaColor = Literal["green", "red", "off"]
DeltaArrow = Literal["up", "down", "off"]
GOOD: DeltaColor = "green"
BAD: DeltaColor = "red"


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: DeltaColor = "off"
    delta_arrow: DeltaArrow = "off"

    def delta_args(self) -> dict[str, str]:
        """The keyword arguments st.metric takes for the change."""
        if self.delta is None:
            return {}
        return {
            "delta": self.delta,
            "delta_color": self.delta_color,
            "delta_arrow": self.delta_arrow,
        }


def change_card(
    label: str, value: Decimal, before: Decimal, *, higher_is_better: bool, help: str | None = None
) -> Card:
    """A figure beside the recorded one: the change signed in French, coloured by its meaning."""
    change = value - before
    if change == 0:
        return Card(label, euros(value), help)
    better = (change > 0) == higher_is_better
    return Card(
        label,
        euros(value),
        help,
        delta=euros(change, signed=True),
        delta_color=GOOD if better else BAD,
        delta_arrow="up" if change > 0 else "down",
    )
