"""The engine: a `Profile` and a `RuleBook` in, a ranked and explained `Result` out. Pure: no I/O.

Owns matching and scoring (`recommend`, with route checks in `eligibility`), results, pathway planning (`simulate` → `plan` →
`build`, with their words in `changewords`), counterfactuals and explanations, and what is kept
across profiles of a batch (`memo`). Imports only `recommender.book` and the base modules.
"""
