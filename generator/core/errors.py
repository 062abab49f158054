"""The one base of every failure the program says to its user in Chinese.

Each stage raises its own kind (a workbook that cannot be read, a tree a unit may not push, a key that does not
open a number…), each a `CadresError`; `cadres` catches them once and prints the message, exit status 2. Anything
else is the program's own fault: its traceback goes to a file in the user's cache (cli.internal_error).
"""

from __future__ import annotations


class CadresError(Exception):
    """A failure said in Chinese to the user, naming what to do: never a traceback."""


class UsageError(CadresError):
    """A wrong argument: said in Chinese, exit status 2."""
