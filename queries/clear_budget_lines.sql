delete from budget_lines
