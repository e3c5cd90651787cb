"""Half of a UTF-16 surrogate pair: what undecodable bytes become (surrogateescape) and what a
JSON "\\ud800" gives. SQLite stores UTF-8 and cannot bind one, so inputs check for them first.
(A module of its own: the command line's quick path must not import the validation tables.)"""
from __future__ import annotations

import re

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
