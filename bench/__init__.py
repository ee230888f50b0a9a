"""The benchmark suite: ``make bench`` (full) and ``make bench-smoke`` (tiny, proves it still runs).

Every measurement is a ratio against a floor measured on the same machine in the same run
(see docs/performance.md). Run ``python -m bench --help`` for the options.
"""
