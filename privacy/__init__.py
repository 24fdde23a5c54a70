"""Privacy: personal data is redacted before it is stored or logged, deleted on request, and purged."""
