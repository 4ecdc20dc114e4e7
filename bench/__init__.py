"""Benchmarks: run `python bench/run_all.py` (see README, Benchmarks)."""
