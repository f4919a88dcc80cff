"""Benchmarks: deterministic data sets (generate.py) and the load runs of PERFORMANCE.md."""
