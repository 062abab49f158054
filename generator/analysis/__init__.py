"""Stage 2, analysis: the statistics against the policy's targets, name order, and each audience's view of the pool."""
