"""Anonymous usage counts from the event broker (production profile): no text, no sender ids."""
