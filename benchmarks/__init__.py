"""Speed and memory measurements (not tests): run with ``python -m benchmarks.<name>``."""
