"""okrcoach: a facilitation tool for OKRs drafting workshops."""
