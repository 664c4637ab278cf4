"""`ActivityRecord`: one joint action of a partnership, with its counters."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from clusterkit.countries import CountryCode
from clusterkit.models._base import Count, EndDate, Identifier, Record, StartDate, Text
from clusterkit.models.vocabulary import ActivityType

__all__ = ["COUNTERS", "ActivityRecord", "counter_defaults"]

COUNTERS = ("b2b_meetings", "c2c_meetings", "mous_signed", "collaboration_projects")
"""The counter fields of an activity, in file order."""

# A row per meeting, MoU or project counts one without saying so.
_ONE_BY_TYPE = {
    ActivityType.C2C_MEETING.value: "c2c_meetings",
    ActivityType.MOU_SIGNATURE.value: "mous_signed",
    ActivityType.COLLABORATION_PROJECT.value: "collaboration_projects",
}


def counter_defaults(activity_type: ActivityType | str) -> dict[str, int]:
    """The counter values an activity of this type has when none is given.

    Added in version 0.1.0.

    Raises:
        ValueError: `activity_type` is not an activity type.

    Examples:
        >>> counter_defaults("c2c_meeting")
        {'b2b_meetings': 0, 'c2c_meetings': 1, 'mous_signed': 0, 'collaboration_projects': 0}
    """
    key = ActivityType(activity_type).value
    defaults = dict.fromkeys(COUNTERS, 0)
    counted = _ONE_BY_TYPE.get(key)
    if counted is not None:
        defaults[counted] = 1
    return defaults


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# A counter that is not given starts as None and gets its default by type in
# model_post_init: unlike a "before" model validator, this lets pydantic validate
# JSON text directly, which reads JSON Lines about 1.5 times as fast.
_BY_TYPE: Any = Field(default=None, json_schema_extra=_without_default)


class ActivityRecord(Record):
    """One joint action of a partnership: a mission, a meeting, an MoU, a webinar, ….

    A counter that is not given takes its default by type (`counter_defaults`): a
    `c2c_meeting` counts one C2C meeting, a `mou_signature` one MoU, a
    `collaboration_project` one project, everything else zero. A given value
    always wins.

    Consistency between fields that the validator reports with a rule of its own
    (start after end; fewer `smes_involved` than listed SMEs) is kept as data, not
    raised here.

    Added in version 0.1.0.

    Examples:
        >>> a = ActivityRecord(id="A1", partnership="P1", type="c2c_meeting",
        ...                    start="2018-05-14", target_country="Japan")
        >>> a.c2c_meetings, a.b2b_meetings, a.target_country
        (1, 0, 'JP')
    """

    id: Identifier
    """Stable id, unique among activities."""
    partnership: Identifier
    """Id of the partnership that ran the activity."""
    type: ActivityType
    """What kind of action it was."""
    start: StartDate
    """First day; a month or a year given alone stands for its first day."""
    end: EndDate | None = None
    """Last day, for actions longer than a day; not before `start`; a month or a year given alone stands for its last day."""
    title: Text | None = None
    """Title or short description."""
    target_country: CountryCode | None = None
    """The third market the action targets."""
    host_country: CountryCode | None = None
    """Where the action took place."""
    city: Text | None = None
    """City where the action took place."""
    clusters: tuple[Identifier, ...] = ()
    """Ids of the participating cluster organisations."""
    smes: tuple[Identifier, ...] = ()
    """Ids of the participating SMEs."""
    smes_involved: Count | None = None
    """Number of SMEs involved; at least `len(smes)` when both are given."""
    b2b_meetings: Count = _BY_TYPE
    """Business-to-business meetings held; default by type (`counter_defaults`)."""
    c2c_meetings: Count = _BY_TYPE
    """Cluster-to-cluster meetings held; default by type (`counter_defaults`)."""
    mous_signed: Count = _BY_TYPE
    """Memoranda of understanding signed; default by type (`counter_defaults`)."""
    collaboration_projects: Count = _BY_TYPE
    """Collaboration projects started; default by type (`counter_defaults`)."""
    notes: Text | None = None
    """Free notes."""

    @classmethod
    def fill_defaults(cls, columns: dict[str, list[Any]]) -> tuple[str, ...]:
        """Counters not given take their default by the activity's type (§2.2)."""
        types = columns["type"]
        changed = []
        for name in COUNTERS:
            column = columns[name]
            if None not in column:
                continue
            columns[name] = [
                _DEFAULTS[kind][name] if value is None and kind in _DEFAULTS else value
                for value, kind in zip(column, types, strict=True)
            ]
            changed.append(name)
        return tuple(changed)

    def model_post_init(self, context: Any, /) -> None:  # noqa: ARG002 - pydantic passes the validation context
        """Give the counters that were not given their default by type."""
        missing = [name for name in COUNTERS if self.__dict__[name] is None]
        if missing:
            defaults = counter_defaults(self.type)
            for name in missing:
                # Validation is over; the record is set up once, before anyone sees it.
                self.__dict__[name] = defaults[name]


_DEFAULTS = {kind.value: counter_defaults(kind) for kind in ActivityType}
