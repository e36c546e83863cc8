"""The public pages residents and initiatives open without a link of their own.

One list for the language tests (tests/webapp/test_languages.py) and the browser checks
(tests/e2e): add a new public page here and it is checked in every language, by axe-core too.
"""

PUBLIC_PAGES = (
    ("home", "/"),
    ("story form", "/verhaal"),
    ("withdraw form", "/verhaal/intrekken"),
    ("accessibility statement", "/toegankelijkheid"),
    ("privacy statement", "/privacy"),
)
