"""Fees of purchasing-central memberships against the budget credits that pay them."""
