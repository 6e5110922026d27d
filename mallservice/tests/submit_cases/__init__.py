"""The create forms of every app, for `test_double_submit.py`: one module an
app, each with its `CASES`."""

from mallservice.tests.submit_cases import (
    broadcasts,
    complaints,
    desk,
    mailroom,
    members,
    rosters,
)

CASES = [
    *complaints.CASES,
    *mailroom.CASES,
    *members.CASES,
    *broadcasts.CASES,
    *rosters.CASES,
    *desk.CASES,
]
