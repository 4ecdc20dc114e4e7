"""The advisor's tools: checks and static analysis, satisfiability, profile expectations, coverage,
the impact of an edit (including a rule book read at a git revision) and JSON Schemas.

May import `render`, `engine` and `book`; never `cli`, `web`, `quiz` or `cohort`.
"""
