"""clusterkit: the data model, validator and KPI engine of the EU's cluster internationalisation programme.

Import the nouns and verbs from here::

    import clusterkit as ck

    ds = ck.load_dataset("data/")
    for activity, where in ck.iter_records("data/activities.csv", ck.ActivityRecord):
        ...
"""

from importlib.metadata import PackageNotFoundError, version

from clusterkit import errors, io, reference
from clusterkit.countries import Country, CountryCode, normalise_country
from clusterkit.errors import (
    AmbiguousCountryError,
    ClusterkitError,
    CountryError,
    DatasetError,
    DatasetReadError,
    DatasetValidationError,
    KPIError,
)
from clusterkit.io import (
    Layout,
    dump_dataset,
    iter_records,
    load_dataset,
    load_example,
)
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
    ThirdCountryRule,
    ThirdCountryTarget,
)
from clusterkit.values import Location, Period

try:
    __version__ = version("clusterkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

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
    "DatasetReadError",
    "DatasetValidationError",
    "ESCALabel",
    "EnterpriseSize",
    "Funding",
    "Generation",
    "IndustrialEcosystem",
    "KPIError",
    "Layout",
    "Location",
    "Partnership",
    "Period",
    "Priority",
    "ThirdCountryRule",
    "ThirdCountryTarget",
    "__version__",
    "dump_dataset",
    "errors",
    "io",
    "iter_records",
    "load_dataset",
    "load_example",
    "normalise_country",
    "reference",
]
