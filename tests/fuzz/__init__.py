"""Property-based fuzzing (Hypothesis) of every parser that takes outside input (issue 13,
part 3). The property everywhere: bad input gets a 4xx with a clear message or is ignored,
never a 500, and nothing already stored changes. Budgets are small (``max_examples``) so
the whole package runs in well under a minute in ``make test``."""
