"""Kasir benchmarks: one module per figure of issue 7, run together by ``python -m bench.run``.

See docs/BENCHMARKS.md. Each figure module can also run alone (``python -m bench.sync``); it
prints its figures as one ``BENCH-JSON`` line that :mod:`bench.run` collects.
"""
