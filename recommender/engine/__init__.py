"""The engine: a `Profile` and a `RuleBook` in, a ranked and explained `Result` out. Pure: no I/O.

Owns matching and scoring (`recommend`), results, pathway planning (`simulate` → `plan` →
`build`), counterfactuals and explanations. Imports only `recommender.book` and the base modules.
"""
