"""What every stage shares, resting on nothing else of ours: dates, findings and their reports, caches, workers."""
