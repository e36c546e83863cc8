"""The facts the privacy statement states, taken from the settings the app itself obeys."""

from __future__ import annotations

from dataclasses import dataclass

from .gemeenten import GemeenteInfo
from .research_export import MIN_K
from .retention import RetentionPolicy


@dataclass(frozen=True)
class PrivacyStatementFacts:
    controller: str
    contact: str
    dpo: str
    health_consent_asked: bool
    health_basis: str
    retention: RetentionPolicy
    k: int
    original_text_roles: tuple[str, ...]


def health_consent_asked(config) -> bool:
    """True when residents are asked explicit consent to tell about health."""
    return config.get("HEALTH_DATA_BASIS", "consent") == "consent"


def privacy_statement_facts(config, gemeente: GemeenteInfo | None = None) -> PrivacyStatementFacts:
    """The statement's facts; a gemeente's own privacy contacts (areas.csv) come before the
    installation's settings, and the gemeente is the controller of its residents' stories."""
    controller = config.get("PRIVACY_CONTROLLER", "")
    if gemeente is not None and not controller:
        controller = gemeente.name
    return PrivacyStatementFacts(
        controller=controller,
        contact=(gemeente.privacy_contact if gemeente else None)
        or config.get("PRIVACY_CONTACT", ""),
        dpo=(gemeente.dpo_contact if gemeente else None) or config.get("PRIVACY_DPO", ""),
        health_consent_asked=health_consent_asked(config),
        health_basis=config.get("HEALTH_DATA_BASIS", "consent"),
        retention=RetentionPolicy.from_config(config),
        k=MIN_K,
        original_text_roles=tuple(config.get("ORIGINAL_TEXT_ROLES", ())),
    )
