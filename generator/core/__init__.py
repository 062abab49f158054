"""What every stage shares and nothing of ours underlies: dates, findings and their report formats, cache files, forked workers."""
