"""The coaching review: the test behind each rule, reading English, team questions, alignment flags."""
