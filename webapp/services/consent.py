"""What a resident's consent allows, as SQL conditions on Story: one definition per use.

The privacy statement (/privacy) promises exactly this:
- a short anonymised quote in council reports only with `consent_quote`;
- research exports and model training only with `consent_research`;
- neither when the installation asks explicit consent for health data (AVG art. 9) and the
  resident did not give it (`consent_health` is False; None means it was not asked).
"""

from __future__ import annotations

from sqlalchemy import and_, or_

from ..models import Story


def _health_consent_not_refused():
    return or_(Story.consent_health.is_(None), Story.consent_health.is_(True))


def quotable():
    """Stories a report may quote (anonymised, shortened)."""
    return and_(Story.consent_quote.is_(True), _health_consent_not_refused())


def research_usable():
    """Stories that may go into research exports and into training the theme model."""
    return and_(Story.consent_research.is_(True), _health_consent_not_refused())
