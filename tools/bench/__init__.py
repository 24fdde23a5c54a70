"""`make bench`: this assistant against the stock `rasa init` bot (see bench.py and docs/testing.md)."""
