"""The exception types for problems a person can fix or wait out."""


class InputError(ValueError):
    """Input from a person or a file that cannot be accepted; the message says what to fix."""


class StaleEdit(Exception):
    """Someone saved a newer version first: the save was not applied; both texts are kept."""

    def __init__(self, what: str, mine: dict, theirs: dict, their_version: int, their_author: str):
        super().__init__(f"{what} was changed by {their_author or 'another laptop'} while you were editing.")
        self.what = what
        self.mine = mine
        self.theirs = theirs
        self.their_version = their_version
        self.their_author = their_author


class StorageUnavailable(InputError):
    """The workshop's file refused a write (locked, full or read-only): nothing was saved; shown like any input error."""
