"""`make bench`: the benchmarks, run from the project's root as `python -m bench.run` (see run.py)."""
