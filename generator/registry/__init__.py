"""Stage 1, the registry: find the files, load them strictly, check them against their schemas, then the checks and the policy's rules."""
