"""Stage 1, the registry: find its files, load them strictly, check schemas, then the checks and the rules."""
