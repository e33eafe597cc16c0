"""Journal: one line per operation (an import, an edit, a restore, an undo), in Paris time;
an operation opens onto its rows, each change in French; an administrator undoes a whole
operation after a confirmation that says what will change. Every list is read a page at a time."""

from spend import ui
from spend.ui import journal

ui.ensure_router()
actor = ui.actor()
version = ui.data_version()
journal.header()
wanted = journal.filters(actor, version)
shown = journal.operation_list(wanted)
chosen = journal.chosen_operation(shown)
if chosen is not None:
    journal.operation_detail(chosen, wanted)
    if actor.may("undo"):
        journal.undo_box(chosen, actor)
