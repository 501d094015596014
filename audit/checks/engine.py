"""X rules are raised by the engine and pipeline themselves (kind: engine); nothing to register here."""
