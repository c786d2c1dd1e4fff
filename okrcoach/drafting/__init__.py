"""What teams write: drafts, dependencies, comments, the exercise, the executive session, the demo."""
