"""Cohorts: reading many profiles (files, folders, JSON Lines, CSV) and scoring them in batches.

May import `render`, `engine` and `book`; never `cli`, `web`, `quiz` or `advisor`.
"""
