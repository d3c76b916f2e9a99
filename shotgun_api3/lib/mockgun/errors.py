"""The one error mockgun raises of its own: a setup problem."""


class MockgunError(Exception):
    """Raised when mockgun cannot be set up: no schema paths set, or a schema file missing or unreadable.

    Deliberately not a ``ShotgunError``: problems with a call are reported with
    the same exceptions a real site produces, setup problems are not.
    """
