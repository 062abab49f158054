"""What each `cadres` command does, as a function that returns data and an exit status (pre-commit's shape):
the command line only parses its arguments and prints what comes back."""
