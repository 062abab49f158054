"""Stage 8, a registry repository of its own: `cadres init` and the merge request's pool-summary comment."""
