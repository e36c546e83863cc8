"""The facts the privacy statement states, taken from the settings the app itself obeys."""

from __future__ import annotations

from dataclasses import dataclass

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


def privacy_statement_facts(config) -> PrivacyStatementFacts:
    return PrivacyStatementFacts(
        controller=config.get("PRIVACY_CONTROLLER", ""),
        contact=config.get("PRIVACY_CONTACT", ""),
        dpo=config.get("PRIVACY_DPO", ""),
        health_consent_asked=health_consent_asked(config),
        health_basis=config.get("HEALTH_DATA_BASIS", "consent"),
        retention=RetentionPolicy.from_config(config),
        k=MIN_K,
        original_text_roles=tuple(config.get("ORIGINAL_TEXT_ROLES", ())),
    )
