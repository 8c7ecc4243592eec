"""The text of the public accessibility statement and privacy notice.

One source for the live pages and the static site. Each is a title and a list of
(heading, paragraphs) sections.
"""

from __future__ import annotations

from dashboard.config import get_settings

__all__ = ["accessibility_statement", "privacy_notice"]

Section = tuple[str, tuple[str, ...]]


def accessibility_statement() -> tuple[str, tuple[Section, ...]]:
    council = get_settings().council_name
    return (
        "Accessibility statement",
        (
            (
                "Using this website",
                (
                    f"{council} wants as many people as possible to be able to use this "
                    "performance portal. You should be able to zoom in up to 400% without "
                    "the text spilling off the screen, read it on a phone without scrolling "
                    "sideways, navigate it using just a keyboard or speech recognition "
                    "software, and listen to it using a screen reader.",
                    "Every status is shown with a symbol and a word as well as a colour. "
                    "Every chart has the same figures as a table beside it, and all the "
                    "published data can be downloaded as a CSV file.",
                ),
            ),
            (
                "How accessible this website is",
                (
                    "This website aims to meet the Web Content Accessibility Guidelines "
                    "(WCAG) version 2.2 AA standard. It is tested with automated checks "
                    "(axe-core) on every change. The interactive charts on the live site "
                    "may be hard to use with a screen reader: use the tables instead.",
                ),
            ),
            (
                "Feedback and contact information",
                (
                    "If you need information on this website in a different format, or "
                    "you find a problem not listed here, contact the council's performance "
                    "team. We will reply within 10 working days.",
                ),
            ),
            (
                "Enforcement procedure",
                (
                    "The Equality and Human Rights Commission (EHRC) is responsible for "
                    "enforcing the Public Sector Bodies (Websites and Mobile Applications) "
                    "(No. 2) Accessibility Regulations 2018. If you are not happy with how "
                    "we respond to your complaint, contact the Equality Advisory and "
                    "Support Service (EASS).",
                ),
            ),
        ),
    )


def privacy_notice() -> tuple[str, tuple[Section, ...]]:
    council = get_settings().council_name
    return (
        "Privacy notice",
        (
            (
                "What this portal collects",
                (
                    "You do not need an account to use the performance portal. It does not "
                    "ask for your name or any other personal information, and it sets no "
                    "advertising or tracking cookies.",
                    "The live portal uses a technical session cookie so the page can work; "
                    "the web server keeps standard logs (such as your IP address and the "
                    "pages requested) for security, for no longer than 30 days.",
                ),
            ),
            (
                "What the portal publishes",
                (
                    "The portal publishes figures about the council's services, in total. "
                    "It does not publish information about individual people, nor the "
                    "names of council staff.",
                ),
            ),
            (
                "Your rights",
                (
                    f"{council} is the data controller. You have rights under the UK "
                    "General Data Protection Regulation, including to ask for a copy of "
                    "information held about you. Contact the council's data protection "
                    "officer, or the Information Commissioner's Office (ICO) if you are "
                    "unhappy with how your information has been handled.",
                ),
            ),
        ),
    )
