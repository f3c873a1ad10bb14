"""The organisation's details the pages show (company, contact address, tools, the hiring process): one home,
`extra.handbook.org` in mkdocs.yml, which both sites read and a release may override through the environment."""

from __future__ import annotations

import re

REQUIRED = ("company", "contact", "editor", "whiteboard", "process")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
# The example values mkdocs.yml ships with: reserved names (RFC 2606) that must not reach a published guide.
PLACEHOLDER = re.compile(r"\bexample\b", re.IGNORECASE)


class OrgError(ValueError):
    """extra.handbook.org is missing something; the message names the key."""


def check_org(org: object) -> dict:
    """The validated settings, or OrgError naming the first key that is wrong."""
    where = "extra.handbook.org"
    if not isinstance(org, dict):
        raise OrgError(f"{where}: must be a mapping with {', '.join(REQUIRED)}")
    for key in REQUIRED:
        if key != "process" and not (isinstance(org.get(key), str) and org[key].strip()):
            raise OrgError(f"{where}.{key}: must be a non-empty text")
    unknown = sorted(set(org) - set(REQUIRED))
    if unknown:
        raise OrgError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(REQUIRED)})")
    if not EMAIL.match(org["contact"]):
        raise OrgError(f"{where}.contact: must be an email address, got {org['contact']!r}")
    steps = org["process"]
    if not isinstance(steps, list) or not steps:
        raise OrgError(f"{where}.process: must be a list of steps (step, minutes, about; `this: true` on this interview)")
    for i, s in enumerate(steps):
        if not isinstance(s, dict) or set(s) - {"step", "minutes", "about", "this"} or \
                not all(isinstance(s.get(k), str) and s[k].strip() for k in ("step", "about")):
            raise OrgError(f"{where}.process[{i}]: needs step and about (text), optionally minutes and this: true")
        if "minutes" in s and not (isinstance(s["minutes"], int) and not isinstance(s["minutes"], bool) and s["minutes"] > 0):
            raise OrgError(f"{where}.process[{i}].minutes: must be a whole number of minutes")
    if sum(1 for s in steps if s.get("this") is True) != 1:
        raise OrgError(f"{where}.process: exactly one step must be this interview (`this: true`)")
    return org


def placeholders(org: dict) -> list[str]:
    """The keys still holding the shipped example values."""
    return [k for k in REQUIRED if k != "process" and PLACEHOLDER.search(org[k])]
