"""The closed vocabularies of the model: activity types, funding, sizes and labels."""

from __future__ import annotations

import re
from enum import Enum

__all__ = [
    "ActivityType",
    "ClusterKind",
    "ESCALabel",
    "EnterpriseSize",
    "Funding",
    "IndustrialEcosystem",
    "Priority",
    "Programme",
    "ThirdCountryRule",
]


def _loose(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.casefold())


class _Vocabulary(str, Enum):
    """A closed vocabulary whose values are matched without case or separators.

    `"Business Mission"`, `"business-mission"` and `"BUSINESS_MISSION"` all
    name `ActivityType.BUSINESS_MISSION`; the stored value is always the canonical
    one.
    """

    @classmethod
    def _missing_(cls, value: object) -> _Vocabulary | None:
        if not isinstance(value, str):
            return None
        wanted = _loose(value)
        return next((member for member in cls if _loose(member.value) == wanted), None)


class ActivityType(_Vocabulary):
    """What kind of joint action an activity is (the activity types of the data format).

    Added in version 0.1.0.
    """

    BUSINESS_MISSION = "business_mission"
    C2C_MEETING = "c2c_meeting"
    B2B_MATCHMAKING = "b2b_matchmaking"
    MOU_SIGNATURE = "mou_signature"
    COLLABORATION_PROJECT = "collaboration_project"
    GATEWAY_SERVICE = "gateway_service"
    EXPORT_CONSORTIUM = "export_consortium"
    TRADE_FAIR = "trade_fair"
    STUDY_VISIT = "study_visit"
    WEBINAR = "webinar"
    TRAINING = "training"
    PARTNERING_EVENT = "partnering_event"
    OTHER = "other"


class Funding(_Vocabulary):
    """Whether a partnership receives an EU grant.

    Added in version 0.1.0.
    """

    CO_FUNDED = "co_funded"
    VOLUNTARY = "voluntary"


class ClusterKind(_Vocabulary):
    """What kind of organisation a partnership member is.

    Added in version 0.1.0.
    """

    CLUSTER_ORGANISATION = "cluster_organisation"
    BUSINESS_NETWORK = "business_network"
    SUPPORTING_ORGANISATION = "supporting_organisation"


class EnterpriseSize(_Vocabulary):
    """Size class of Commission Recommendation 2003/361/EC.

    `large` is not an SME; it is what figures above the medium ceilings derive to.

    Added in version 0.1.0.
    """

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class ESCALabel(_Vocabulary):
    """Cluster management excellence label (ESCA, now EUCLES).

    Added in version 0.1.0.
    """

    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


class Priority(_Vocabulary):
    """How important a third-country target is to a partnership.

    Added in version 0.1.0.
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"


class Programme(_Vocabulary):
    """The EU funding programme of a generation, whose participants are not third countries.

    Added in version 0.2.0.
    """

    COSME = "COSME"
    SMP = "SMP"


class ThirdCountryRule(_Vocabulary):
    """Which countries count as third countries for a generation.

    `non-programme`: neither an EU member nor a participant of the generation's
    programme on the date. `beyond-europe`: additionally not a European country.

    Added in version 0.1.0.
    """

    NON_PROGRAMME = "non-programme"
    BEYOND_EUROPE = "beyond-europe"


class IndustrialEcosystem(_Vocabulary):
    """The 14 industrial ecosystems of the EU Industrial Strategy (March 2020).

    Names and sources are in the reference data (`clusterkit.reference.ecosystems`).

    Added in version 0.1.0.
    """

    AEROSPACE_DEFENCE = "aerospace-defence"
    AGRI_FOOD = "agri-food"
    CONSTRUCTION = "construction"
    CULTURAL_CREATIVE = "cultural-creative"
    DIGITAL = "digital"
    ELECTRONICS = "electronics"
    ENERGY_INTENSIVE = "energy-intensive"
    ENERGY_RENEWABLES = "energy-renewables"
    HEALTH = "health"
    MOBILITY_TRANSPORT_AUTOMOTIVE = "mobility-transport-automotive"
    PROXIMITY_SOCIAL_ECONOMY = "proximity-social-economy"
    RETAIL = "retail"
    TEXTILES = "textiles"
    TOURISM = "tourism"
