"""Benchmark support: the floor route that page latencies are compared against."""
