"""The rule book: from YAML files to a checked, compiled `RuleBook`, and answers to a `Profile`.

Owns safe YAML reading, the pydantic models, the condition language and templates, the loader
and its cross-reference checks, the rule index, and answers validated against the questionnaire.
Imports only `recommender.errors` and `recommender.suggest`; every other stage builds on it.
"""
