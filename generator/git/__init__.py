"""Stage 3, git: each record's change history and the difference between two versions of the registry."""
