"""clusterkit: the data model, validator and KPI engine of the EU's cluster internationalisation programme.

Import the nouns and verbs from here::

    import clusterkit as ck

    ds = ck.load_dataset("data/")
    report = ck.validate("data/")
    result = ck.compute_kpis("data/", by="generation")
    for activity, where in ck.iter_records("data/activities.csv", ck.ActivityRecord):
        ...
"""

from clusterkit import countries, errors, io, kpis, reference, reports, rules
from clusterkit._version import VERSION
from clusterkit.countries import (
    Country,
    CountryCode,
    is_eu_member,
    is_programme_participant,
    is_third_country,
    normalise_country,
    protocol_order,
)
from clusterkit.errors import (
    AmbiguousCountryError,
    ClusterkitError,
    CountryError,
    DatasetError,
    DatasetExistsError,
    DatasetReadError,
    DatasetValidationError,
    KPIError,
)
from clusterkit.io import (
    Layout,
    Limits,
    dump_dataset,
    iter_records,
    load_dataset,
    load_example,
)
from clusterkit.kpis import KPIResult, compute_kpis
from clusterkit.models import (
    SME,
    ActivityRecord,
    ActivityType,
    Cluster,
    ClusterKind,
    Dataset,
    EnterpriseSize,
    ESCALabel,
    Funding,
    Generation,
    IndustrialEcosystem,
    Partnership,
    Priority,
    Programme,
    ThirdCountryRule,
    ThirdCountryTarget,
)
from clusterkit.report import Entity, Finding, Report, Severity, Summary
from clusterkit.rules import Thresholds, validate
from clusterkit.values import Location, PartialDate, Period

# Read from a module, not importlib.metadata, which alone costs ~60 ms of import time.
__version__ = VERSION

__all__ = [
    "SME",
    "ActivityRecord",
    "ActivityType",
    "AmbiguousCountryError",
    "Cluster",
    "ClusterKind",
    "ClusterkitError",
    "Country",
    "CountryCode",
    "CountryError",
    "Dataset",
    "DatasetError",
    "DatasetExistsError",
    "DatasetReadError",
    "DatasetValidationError",
    "ESCALabel",
    "EnterpriseSize",
    "Entity",
    "Finding",
    "Funding",
    "Generation",
    "IndustrialEcosystem",
    "KPIError",
    "KPIResult",
    "Layout",
    "Limits",
    "Location",
    "PartialDate",
    "Partnership",
    "Period",
    "Priority",
    "Programme",
    "Report",
    "Severity",
    "Summary",
    "ThirdCountryRule",
    "ThirdCountryTarget",
    "Thresholds",
    "__version__",
    "compute_kpis",
    "countries",
    "dump_dataset",
    "errors",
    "io",
    "is_eu_member",
    "is_programme_participant",
    "is_third_country",
    "iter_records",
    "kpis",
    "load_dataset",
    "load_example",
    "normalise_country",
    "protocol_order",
    "reference",
    "reports",
    "rules",
    "validate",
]
