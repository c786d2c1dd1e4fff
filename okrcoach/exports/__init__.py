"""What leaves the app: the Word pack and handout, the CSV, the JSON backup, an export read back."""
