"""Cache keys that follow the shape of what they hold.

Entries are pickled. An entry written by one release and read by the next,
whose class gained or renamed a field, unpickles without that field and fails
where the field is used. Putting the fields' names in the key makes each
release read only entries of its own shape."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from functools import cache


@cache
def shape(*classes: type) -> str:
    """A short tag of the dataclasses' names and field names."""
    names = ";".join(f"{c.__qualname__}:{','.join(f.name for f in fields(c))}" for c in classes)
    return hashlib.blake2s(names.encode(), digest_size=4).hexdigest()
