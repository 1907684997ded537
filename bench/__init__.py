"""Speed benchmarks for Pacer (DESIGN.md §9). Run with `python -m bench.run`; see bench/README.md."""
