"""Performance benchmarks of the desk (not part of the pytest suite).

Run all of them with `.venv/bin/python -m bench`; results are printed and written into
docs/benchmarks.md. Each measure is taken against a baseline measured in the same run,
so the figures can be compared across machines as ratios.
"""
