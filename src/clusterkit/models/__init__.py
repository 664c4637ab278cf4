"""The record models: pydantic v2, frozen, unknown fields refused, strings stripped.

Every record crosses the I/O boundary, so it parses and coerces its input (a CSV cell
`"12"` becomes the count 12, `"Germany"` the country `"DE"`) and raises a
`pydantic.ValidationError` naming the field for a value it cannot accept.
"""

from clusterkit._public import publish
from clusterkit.models._base import (
    Amount,
    Count,
    EndDate,
    Identifier,
    Invariant,
    IsoDate,
    ListItem,
    Record,
    StartDate,
    Text,
    VatNumber,
    Website,
    compact_vat,
    country_fields,
    dict_fields,
    list_fields,
)
from clusterkit.models.activity import COUNTERS, ActivityRecord, counter_defaults
from clusterkit.models.cluster import Cluster, NutsCode
from clusterkit.models.dataset import TABLES, Dataset
from clusterkit.models.generation import Generation, reference_generations
from clusterkit.models.partnership import Partnership
from clusterkit.models.sme import SME, classify_enterprise, possible_size_classes
from clusterkit.models.target import ThirdCountryTarget
from clusterkit.models.vocabulary import (
    ActivityType,
    ClusterKind,
    EnterpriseSize,
    ESCALabel,
    Funding,
    IndustrialEcosystem,
    Priority,
    Programme,
    ThirdCountryRule,
)

__all__ = [
    "COUNTERS",
    "SME",
    "TABLES",
    "ActivityRecord",
    "ActivityType",
    "Amount",
    "Cluster",
    "ClusterKind",
    "Count",
    "Dataset",
    "ESCALabel",
    "EndDate",
    "EnterpriseSize",
    "Funding",
    "Generation",
    "Identifier",
    "IndustrialEcosystem",
    "Invariant",
    "IsoDate",
    "ListItem",
    "NutsCode",
    "Partnership",
    "Priority",
    "Programme",
    "Record",
    "StartDate",
    "Text",
    "ThirdCountryRule",
    "ThirdCountryTarget",
    "VatNumber",
    "Website",
    "classify_enterprise",
    "compact_vat",
    "counter_defaults",
    "country_fields",
    "dict_fields",
    "list_fields",
    "possible_size_classes",
    "reference_generations",
]

publish(globals())
