"""The web front end (`recommender serve`): questionnaire pages, the report page, and the JSON API.

A front end beside `cli`: may import quiz, render, engine, book and base; only `cli.serve`
imports it, and only when that command runs, so no other command loads FastAPI.
"""
