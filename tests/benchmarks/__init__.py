"""Benchmarks for `make bench` (not collected by pytest: no test_ files). Prints JSON."""
