"""The command line: `python -m okrcoach <command>`."""
