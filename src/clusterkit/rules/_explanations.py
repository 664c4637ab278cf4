"""Private: what every rule means, a failing example and how to fix it (DESIGN.md §4).

`clusterkit explain RULE` prints one entry with `explain`, and `rules_markdown` writes
the whole catalogue as the docs page `docs/reference/rules.md`. Each entry is plain
text; the examples show a file as `head` does (`==> activities.csv <==`) and the
finding line as `clusterkit validate` prints it.
"""

from __future__ import annotations

import difflib
import re
import textwrap

import attrs

from clusterkit.report import CATALOGUE, Rule

__all__ = ["EXPLANATIONS", "FAMILIES", "Explanation", "explain", "rules_markdown"]


@attrs.frozen
class Explanation:
    """The documentation of one rule.

    Added in version 0.1.0.

    Attributes:
        meaning: What the rule finds and why it matters, in one to three sentences.
        example: A small failing file and the finding line it produces.
        fix: How a data steward fixes the data (or deliberately silences the rule).
    """

    meaning: str
    example: str
    fix: str


def _lines(*lines: str) -> str:
    """Join example lines into one text."""
    return "\n".join(lines)


EXPLANATIONS: dict[str, Explanation] = {
    "CK-FILE-001": Explanation(
        meaning=(
            "A data file could not be read at all: the path does not exist, the text "
            "is not UTF-8 (the message names the likely codec, such as a UTF-16 "
            "byte-order mark or Latin-1/cp1252 from a spreadsheet export), the file "
            "holds binary data, a workbook is corrupt, a JSON document has a syntax "
            "error (with its line and column), a dataset folder holds no table files, "
            "or permission is denied. Reading of that file stops there, so the rows "
            "after that point were not checked and nothing in them is counted."
        ),
        example=_lines(
            "==> dataset.json <==",
            '{"clusters": [',
            '  {"id": "DE-001", "name": "Bavarian Photonics Cluster", "country":'
            ' "DE"},',
            '  {"id": "FR-001", "name": "Paris Optics Valley" "country": "FR"}',
            "]}",
            "",
            "dataset.json:3:50: error CK-FILE-001 JSON syntax error: Expecting ','"
            " delimiter;",
            "    reading of dataset.json stopped here, rows after this point were not"
            " checked",
        ),
        fix=(
            "Repair the file the message names. Save CSV files as UTF-8 (in Excel: "
            "'CSV UTF-8'; in LibreOffice: character set 'Unicode (UTF-8)'), export a "
            "corrupt workbook again, or fix the JSON at the line and column given "
            "(here a missing comma). Check the path: a dataset is a folder of files "
            "named after the tables (clusters.csv, activities.jsonl), a .json document "
            "or an .xlsx workbook. Do not ignore this rule: a file that was not read "
            "is data that was never checked."
        ),
    ),
    "CK-HDR-001": Explanation(
        meaning=(
            "A table's header row lacks a column the table requires, so no row of the "
            "table can be a complete record. The required columns are: generations "
            "id, name, family, programme, start, end; clusters id, name, country; smes "
            "id, name, country; partnerships id, acronym, name, generation; targets "
            "partnership, country; activities id, partnership, type, start. The "
            "finding points at line 1 and names the missing column."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,city",
            "DE-001,Bavarian Photonics Cluster,Munich",
            "",
            "clusters.csv:1: error CK-HDR-001 required column 'country' is missing"
            " from clusters",
        ),
        fix=(
            "Add the column to the header and fill it in on every row. Header names "
            "are matched without regard to case or surrounding spaces; a misspelt "
            "name is reported as CK-HDR-002 on the same line. If every required "
            "column is reported missing, the file was probably saved with ';' between "
            "cells (the default of Excel in many European locales): save it with "
            "commas. 'clusterkit schema TABLE' lists a table's columns."
        ),
    ),
    "CK-HDR-002": Explanation(
        meaning=(
            "A header names a column the table does not have. The column is ignored, "
            "so whatever it holds never reaches the dataset or the KPIs; usually it is "
            "a misspelt field name, and the hint names the closest real one. In JSON "
            "and JSON Lines an unknown key is reported once per table and key, at its "
            "first occurrence, with the number of rows that carry it."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country,webiste",
            "DE-001,Bavarian Photonics"
            " Cluster,DE,https://bavarian-photonics.example.org",
            "",
            "clusters.csv:1:4: warning CK-HDR-002 unknown column 'webiste' in"
            " clusters; it is ignored",
            "    hint: did you mean 'website'?",
        ),
        fix=(
            "Rename the column to the field it was meant to be (here 'website', as "
            "the hint says), or delete it. If the files deliberately carry extra "
            "columns for your own use, such as internal notes, silence the rule with "
            "--ignore CK-HDR-002."
        ),
    ),
    "CK-HDR-003": Explanation(
        meaning=(
            "Two header cells name the same column (case and surrounding spaces are "
            "ignored). The later column is ignored, so when the two disagree the "
            "values of the later one are silently lost."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country,city,City",
            "DE-001,Bavarian Photonics Cluster,DE,Munich,Nuremberg",
            "",
            "clusters.csv:1:5: error CK-HDR-003 duplicate column 'city' (also column"
            " 4);",
            "    this column is ignored",
        ),
        fix=(
            "Keep one of the two columns: merge their values into the first and "
            "delete the second, or rename the second to the field it was meant to be."
        ),
    ),
    "CK-ROW-001": Explanation(
        meaning=(
            "A row cannot be read as a record: a CSV row with more or fewer cells "
            "than the header, a JSON Lines line that is not an object, or an entry of "
            "a JSON document's table that is not an object. The row is skipped, so "
            "its record is missing from every other check and from the KPIs. The "
            "usual cause is a comma inside an unquoted cell, or a number written with "
            "a thousands separator."
        ),
        example=_lines(
            "==> smes.csv <==",
            "id,name,country",
            "SME-001,Lumen Optics GmbH,DE",
            "SME-005,Vevix Hospitality, Sp. z o.o.,PL",
            "",
            "smes.csv:3: error CK-ROW-001 row has 4 cells but the header has 3; the"
            " row was not checked",
        ),
        fix=(
            'Quote cells that contain commas ("Vevix Hospitality, Sp. z o.o."), '
            "write numbers without thousands separators, or remove the stray "
            "separator. Spreadsheet programs quote correctly when they save as CSV. "
            "In JSON Lines, put exactly one object on each line."
        ),
    ),
    "CK-TYPE-001": Explanation(
        meaning=(
            "A cell holds a value that does not fit its field: a count or an amount "
            "that is not a number, a date that is not a date, a malformed web "
            "address, an id longer than 64 characters or containing ';', a required "
            "cell left empty, or a date that is well-formed but does not exist, such "
            "as 2023-02-30. It also reports a cluster whose sme_members exceeds its "
            "members_total. A value that does not parse cannot be checked or counted."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A4,P1,webinar,2019-02-30",
            "",
            "activities.csv:2:4: error CK-TYPE-001 2019-02-30 is well-formed but is"
            " not a real date:",
            "    February 2019 has 28 days",
        ),
        fix=(
            "Correct the value in the cell the finding points at. Write counts as "
            "whole numbers and amounts in euro with a '.' for the decimal point and "
            "no thousands separator or currency sign (448750, 9500000.50), dates as "
            "YYYY-MM-DD, and web addresses without spaces (https://...). Ids may not "
            "contain ';', which separates the items of a list."
        ),
    ),
    "CK-TYPE-002": Explanation(
        meaning=(
            "A date is written in a spelling other than ISO 8601, such as '14 March "
            "2017', and can be read without doubt. It is accepted, with the reading "
            "given in the message; the warning is there because other tools that "
            "read the same files may not understand it."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A6,P2,trade_fair,8 April 2019",
            "",
            "activities.csv:2:4: warning CK-TYPE-002 '8 April 2019' is not an ISO"
            " 8601 date;",
            "    read as 2019-04-08",
            "    hint: write it as 2019-04-08",
        ),
        fix=(
            "Rewrite the date as YYYY-MM-DD (2019-04-08). In a spreadsheet, give the "
            "column the ISO date format, or the text format, before saving as CSV. "
            "To accept such dates on purpose, use --ignore CK-TYPE-002."
        ),
    ),
    "CK-TYPE-003": Explanation(
        meaning=(
            "A date can be read in two ways, such as '03/04/2017' (3 April or 4 "
            "March), so clusterkit does not guess: an activity dated in the wrong "
            "month can fall outside its partnership's period or be counted in the "
            "wrong year. The hint gives both readings."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A3,P1,b2b_matchmaking,05/03/2019",
            "",
            "activities.csv:2:4: error CK-TYPE-003 '05/03/2019' is ambiguous:",
            "    it reads as 2019-05-03 or 2019-03-05; write it as YYYY-MM-DD",
            "    hint: it reads as 2019-05-03 or 2019-03-05",
        ),
        fix=(
            "Write the date as YYYY-MM-DD, choosing the reading that was meant "
            "(2019-05-03 or 2019-03-05). Such dates usually come from a spreadsheet's "
            "local date format: give the column the ISO date format before saving."
        ),
    ),
    "CK-ENUM-001": Explanation(
        meaning=(
            "A field with a fixed vocabulary holds a value outside it: an activity "
            "type, a funding (co_funded or voluntary), a cluster kind, a target "
            "priority, an ESCA label, a size class, an industrial ecosystem or a "
            "third-country rule. The hint names the nearest allowed value. Activity "
            "types decide the counter defaults and the KPIs by type, so an activity "
            "of unknown type cannot be counted."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A3,P1,matchmaking,2019-03-05",
            "",
            "activities.csv:2:3: error CK-ENUM-001 'matchmaking' is not one of the"
            " allowed values",
            "    hint: did you mean 'b2b_matchmaking'?",
        ),
        fix=(
            "Replace the value with one of the vocabulary (here 'b2b_matchmaking', as "
            "the hint says); the data format reference lists every vocabulary. Case, "
            "spaces, hyphens and underscores do not matter. For an activity that "
            "fits no type, use 'other' and describe it in notes."
        ),
    ),
    "CK-COUNTRY-001": Explanation(
        meaning=(
            "A country field holds something that is not a country: a typo, a part of "
            "a country (Bavaria, Catalonia, Scotland), a city, or a code that does "
            "not exist. Countries decide which targets are third countries and which "
            "member clusters may take part, so an unknown one cannot be checked."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country",
            "DE-001,Bavarian Photonics Cluster,Bavaria",
            "",
            "clusters.csv:2:3: error CK-COUNTRY-001 'Bavaria' is not one country (it"
            " is a subdivision)",
        ),
        fix=(
            "Write the country's ISO 3166-1 alpha-2 code (DE, FR, US); other codes, "
            "the EU codes EL and UK, and the usual English names are accepted too. "
            "For a place inside a country, write the country here and the place in "
            "city or region. 'clusterkit country VALUE' shows how a value is read."
        ),
    ),
    "CK-COUNTRY-002": Explanation(
        meaning=(
            "A country value can mean more than one country: 'Korea' (the Republic "
            "of Korea or North Korea), or a state that no longer exists, such as "
            "Yugoslavia or the Soviet Union. The hint lists the candidates. "
            "clusterkit does not pick one, because the choice decides whether a "
            "target is a third country."
        ),
        example=_lines(
            "==> targets.csv <==",
            "partnership,country",
            "P1,Korea",
            "",
            "targets.csv:2:2: error CK-COUNTRY-002 'Korea' could be several"
            " countries: KP, KR",
            "    hint: write one ISO code: KP, KR",
        ),
        fix=(
            "Write the code of the country that was meant, such as KR for the "
            "Republic of Korea. 'clusterkit country VALUE' shows how a value is read."
        ),
    ),
    "CK-COUNTRY-003": Explanation(
        meaning=(
            "A country is valid but not written as its upper-case ISO alpha-2 code: "
            "'Germany', 'de', 'DEU' and the EU code 'EL' are read correctly, as DE "
            "and GR, but are not canonical. This is information, not a problem, and "
            "it is reported only when the rule is selected with --select: use it to "
            "tidy a dataset so that other tools, which may not normalise countries, "
            "read the same values."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country",
            "DE-001,Bavarian Photonics Cluster,Germany",
            "",
            "clusters.csv:2:3: info CK-COUNTRY-003 'Germany' is Germany; write it as"
            " its ISO code DE",
            "    hint: write DE",
        ),
        fix=(
            "Replace the value with the code the message gives. List every such value "
            "with 'clusterkit validate --select CK-COUNTRY-003 PATH'. 'clusterkit "
            "convert' writes every country as its ISO code, so converting a dataset "
            "into a new folder tidies all of them at once."
        ),
    ),
    "CK-COUNT-001": Explanation(
        meaning=(
            "A count or an amount is negative: a counter such as b2b_meetings or "
            "smes_involved, a cluster's members_total, an SME's headcount or "
            "turnover, or a grant. A negative figure would be subtracted from the "
            "programme's KPIs."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,b2b_meetings",
            "A3,P1,b2b_matchmaking,2019-03-05,-9",
            "",
            "activities.csv:2:5: error CK-COUNT-001 '-9' is negative; b2b_meetings"
            " counts,",
            "    so it is at least 0",
        ),
        fix=(
            "Correct the figure. A minus sign is often a stray character, or a "
            "correction written as a negative row: correct the original row instead. "
            "Leave the cell empty when the figure is not known."
        ),
    ),
    "CK-PK-001": Explanation(
        meaning=(
            "Two records of one table have the same id, or a partnership lists the "
            "same target country twice in targets.csv. References to the id become "
            "ambiguous and the record would be counted twice in the KPIs. The finding "
            "points at the later occurrence and names the first."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country",
            "DE-001,Bavarian Photonics Cluster,DE",
            "FR-001,Paris Optics Valley,FR",
            "DE-001,Saxon Automotive Cluster,DE",
            "",
            "clusters.csv:4:1: error CK-PK-001 duplicate id 'DE-001' in clusters;",
            "    first at clusters.csv:2:1 (id)",
        ),
        fix=(
            "If both rows describe the same record, merge them into one. If they are "
            "different records, give the later one a new id and update the "
            "references to it in the other tables."
        ),
    ),
    "CK-FK-001": Explanation(
        meaning=(
            "An activity's partnership is not the id of any partnership in "
            "partnerships.csv. The activity cannot be checked against its "
            "partnership's period and targets, and it is counted in no partnership's "
            "KPIs. The hint gives the closest existing id."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A1,P1,business_mission,2018-05-14",
            "A2,P01,c2c_meeting,2018-09-20",
            "",
            "(partnerships.csv holds P1 and P2)",
            "activities.csv:3:2: error CK-FK-001 partnership 'P01' does not exist in"
            " partnerships",
            "    hint: did you mean 'P1'?",
        ),
        fix=(
            "Correct the id (here 'P1', as the hint says), or add the missing "
            "partnership to partnerships.csv. Validate the whole dataset folder, so "
            "that the partnerships are read together with their activities."
        ),
    ),
    "CK-FK-002": Explanation(
        meaning=(
            "A partnership's generation is neither one that clusterkit ships "
            "(escp-4i-1 to escp-4i-4 and euroclusters-1) nor one in the dataset's "
            "generations.csv. Without its generation, the partnership's default "
            "period, strands, grant caps and third-country rule are unknown, so "
            "those checks cannot run."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation",
            "P1,PHOTON-GO,Photonics Go Global,escp4i-2",
            "",
            "partnerships.csv:2:4: error CK-FK-002 generation 'escp4i-2' does not"
            " exist in generations",
            "    hint: did you mean 'escp-4i-2'?",
        ),
        fix=(
            "Write one of the shipped ids (here 'escp-4i-2', as the hint says), or "
            "describe the generation in generations.csv with at least its id, name, "
            "family, programme, start and end."
        ),
    ),
    "CK-FK-003": Explanation(
        meaning=(
            "A partnership's coordinator, or one of its members, is not a cluster in "
            "clusters.csv; each unknown member is reported on its own. A partnership "
            "is a consortium of cluster organisations, and its members must be known "
            "to count them and check their countries."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go"
            " Global,escp-4i-2,IT-001,DE-001;FR-01;IT-001;PL-001",
            "",
            "partnerships.csv:2:6: error CK-FK-003 cluster 'FR-01' does not exist in"
            " clusters",
            "    hint: did you mean 'FR-001'?",
        ),
        fix=(
            "Correct the id (the hint gives the closest existing one), or add the "
            "cluster organisation to clusters.csv. Members are separated by ';'."
        ),
    ),
    "CK-FK-004": Explanation(
        meaning=(
            "An activity's smes column names an SME that is not in smes.csv; each "
            "unknown id is reported on its own. An unknown SME cannot be checked for "
            "its size or its cluster memberships, and it distorts the count of "
            "distinct SMEs involved."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,smes",
            "A1,P1,business_mission,2018-05-14,SME-001;SME-020",
            "",
            "activities.csv:2:5: error CK-FK-004 SME 'SME-020' does not exist in smes",
            "    hint: did you mean 'SME-004'?",
        ),
        fix=(
            "Correct the id, or add the SME to smes.csv (its id and name are "
            "enough). If the SMEs may not be named, leave smes empty and give their "
            "number in smes_involved instead."
        ),
    ),
    "CK-FK-005": Explanation(
        meaning=(
            "An SME's clusters column names a cluster that is not in clusters.csv; "
            "each unknown id is reported on its own. An SME's memberships are what "
            "CK-SME-003 checks against the clusters of the partnerships it takes "
            "part with."
        ),
        example=_lines(
            "==> smes.csv <==",
            "id,name,country,clusters",
            "SME-001,Lumen Optics GmbH,DE,DE-01",
            "",
            "smes.csv:2:4: error CK-FK-005 cluster 'DE-01' does not exist in clusters",
            "    hint: did you mean 'DE-001'?",
        ),
        fix=(
            "Correct the id (the hint gives the closest existing one), or add the "
            "cluster to clusters.csv. An SME that belongs to no cluster of the "
            "dataset can leave clusters empty."
        ),
    ),
    "CK-FK-006": Explanation(
        meaning=(
            "A row of targets.csv belongs to a partnership that is not in "
            "partnerships.csv. The target market cannot be checked against the "
            "partnership's generation, and it is missing from the target-market KPIs."
        ),
        example=_lines(
            "==> targets.csv <==",
            "partnership,country",
            "P1,US",
            "P3,CN",
            "",
            "(partnerships.csv holds P1 and P2)",
            "targets.csv:3:1: error CK-FK-006 partnership 'P3' does not exist in"
            " partnerships",
        ),
        fix=(
            "Correct the partnership id, or add the partnership to partnerships.csv. "
            "Delete the targets of a partnership that was removed."
        ),
    ),
    "CK-FK-007": Explanation(
        meaning=(
            "An activity's clusters column, the cluster organisations that took "
            "part, names a cluster that is not in clusters.csv; each unknown id is "
            "reported on its own."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,clusters",
            "A1,P1,business_mission,2018-05-14,DE-001;FR-010",
            "",
            "activities.csv:2:5: error CK-FK-007 cluster 'FR-010' does not exist in"
            " clusters",
            "    hint: did you mean 'FR-001'?",
        ),
        fix=(
            "Correct the id (the hint gives the closest existing one), or add the "
            "cluster organisation to clusters.csv. Clusters are separated by ';'."
        ),
    ),
    "CK-ORPHAN-001": Explanation(
        meaning=(
            "A record that nothing refers to: a partnership with no activities, a "
            "cluster that is neither a member or coordinator of a partnership nor "
            "named by an SME or an activity, or an SME that no activity lists. It is "
            "a warning because it is often a leftover of an edit, or a partnership "
            "whose activities were not reported yet. The finding points at the "
            "record's id."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go"
            " Global,escp-4i-2,IT-001,DE-001;FR-001;IT-001;PL-001",
            "P2,FOOD-4I,Food Partnership for Third"
            " Markets,escp-4i-2,ES-001,ES-001;GR-001;AT-001",
            "",
            "(activities.csv has activities of P1 only)",
            "partnerships.csv:3:1: warning CK-ORPHAN-001 partnership 'P2' has no"
            " activities",
        ),
        fix=(
            "Add the missing activities, or delete the record if it is a leftover. "
            "A shared register, such as one list of every cluster used by several "
            "partnerships' datasets, naturally holds records a dataset does not use: "
            "validate such datasets with --ignore CK-ORPHAN-001."
        ),
    ),
    "CK-DATE-001": Explanation(
        meaning=(
            "A generation, a partnership or an activity ends before it starts. Every "
            "date check against such a period is meaningless. The finding points at "
            "end."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,end",
            "A6,P2,trade_fair,2019-04-11,2019-04-08",
            "",
            "activities.csv:2:5: error CK-DATE-001 ends (2019-04-08) before it starts"
            " (2019-04-11)",
        ),
        fix=(
            "Correct whichever date is wrong. A one-day activity has the same start "
            "and end, or no end at all. Day and month swapped while copying from a "
            "spreadsheet are a common cause."
        ),
    ),
    "CK-DATE-002": Explanation(
        meaning=(
            "An activity starts or ends outside its partnership's period. The "
            "partnership's start and end each default to its generation's, so an "
            "activity of an escp-4i-1 partnership without dates must lie between "
            "2015-12-01 and 2018-01-31. An activity outside the period was not part "
            "of the partnership's action and must not count towards its KPIs. The "
            "finding points at start if the start is outside the period, else at "
            "end, and names the partnership's row."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A4,P1,webinar,2020-03-10",
            "",
            "(P1 runs from 2018-02-01 to 2020-01-31)",
            "activities.csv:2:4: error CK-DATE-002 activity start 2020-03-10 is"
            " outside the period of",
            "    partnership 'P1' (2018-02-01 to 2020-01-31)",
        ),
        fix=(
            "Correct the activity's date, or its partnership if the activity belongs "
            "to another one. If the partnership's action was extended, record its "
            "real end in the end column of partnerships.csv."
        ),
    ),
    "CK-DATE-003": Explanation(
        meaning=(
            "A partnership's own start or end lies outside its generation's period "
            "(escp-4i-1 runs from 2015-12-01 to 2018-01-31, for instance). A "
            "partnership is funded under one call, so its action must fit the "
            "call's period. The finding points at start if the start is before the "
            "generation's start, else at end."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,start,end",
            "P1,PHOTON-GO,Photonics Go Global,escp-4i-2,2017-11-01,2020-01-31",
            "",
            "partnerships.csv:2:5: error CK-DATE-003 partnership start 2017-11-01 is"
            " outside the period of",
            "    generation 'escp-4i-2' (2018-01-01 to 2020-02-29)",
        ),
        fix=(
            "Correct the date, or the generation if the partnership belongs to "
            "another call. If the shipped dates of a generation do not fit your "
            "programme, override the generation with a row of the same id in "
            "generations.csv."
        ),
    ),
    "CK-DATE-004": Explanation(
        meaning=(
            "A date lies after the as-of date, which is today unless --as-of says "
            "otherwise: an activity's start or end, a target's since, or a "
            "cluster's esca_label_date. Reported activities cannot be in the future; "
            "such a date is usually a typing error (2027 for 2017) or a planned "
            "activity entered too early."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start",
            "A4,P1,webinar,2029-06-10",
            "",
            "(validated with --as-of 2026-01-01)",
            "activities.csv:2:4: error CK-DATE-004 start 2029-06-10 is in the future"
            " (after 2026-01-01);",
            "    a reported record cannot be in the future",
        ),
        fix=(
            "Correct the date, or keep planned activities out of the reported data "
            "until they have taken place. To validate data as it stood on a given "
            "day, for instance to reproduce an earlier report, pass --as-of "
            "YYYY-MM-DD."
        ),
    ),
    "CK-GEO-001": Explanation(
        meaning=(
            "A target market is not a third country on the relevant date: a row of "
            "targets.csv (on the partnership's start) or an activity's "
            "target_country (on the activity's start). ESCP-4i partnerships take "
            "SMEs to markets outside Europe, and the generation's third-country rule "
            "decides: under non-programme a target may be neither an EU member nor "
            "a participant of the generation's programme on that date, and "
            "beyond-europe (escp-4i-1 to escp-4i-3) also excludes every other "
            "European country. The check is dated: the United Kingdom was an EU "
            "member until 2020-01-31, so a GB target in 2019 is an error."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,target_country",
            "A1,P1,business_mission,2019-05-14,GB",
            "",
            "(P1 is a partnership of escp-4i-2)",
            "activities.csv:2:5: error CK-GEO-001 United Kingdom (GB) is not a third"
            " country on 2019-05-14:",
            "    a target must be outside Europe and outside the EU and COSME's"
            " participating countries",
        ),
        fix=(
            "Correct the country if it is a typo, or the country of a partner rather "
            "than of the market. An activity in Europe that serves the partnership's "
            "strategy, such as a partners' meeting, has no target market: leave "
            "target_country empty and give the place in host_country."
        ),
    ),
    "CK-GEO-002": Explanation(
        meaning=(
            "An activity targets a country that is not among its partnership's "
            "targets in targets.csv; checked only when the partnership declares at "
            "least one target. Often the market was added later and targets.csv was "
            "not updated, which leaves the partnership out of that market's "
            "target-market KPIs."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,target_country",
            "A1,P1,business_mission,2018-05-14,BR",
            "",
            "(targets.csv lists US, CN and JP for P1)",
            "activities.csv:2:5: warning CK-GEO-002 BR is not among the declared"
            " targets of partnership 'P1'",
            "    (CN, JP, US)",
            "    hint: add a row (P1, BR) to targets, or correct it",
        ),
        fix=(
            "Add the market to targets.csv for the partnership, or correct the "
            "activity's target_country. If the partnership's activities deliberately "
            "explore markets beyond its declared ones, use --ignore CK-GEO-002."
        ),
    ),
    "CK-GEO-003": Explanation(
        meaning=(
            "A member cluster is established in a country that, on the partnership's "
            "start, was neither an EU member nor a participant of the generation's "
            "programme (COSME or the Single Market Programme). Only organisations "
            "from those countries can be members of a partnership; third-country "
            "organisations are its partners abroad. One finding per such member."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go"
            " Global,escp-4i-2,IT-001,DE-001;FR-001;IT-001;US-001",
            "",
            "(clusters.csv gives US as the country of US-001)",
            "partnerships.csv:2:6: error CK-GEO-003 member 'US-001' is established in"
            " United States (US),",
            "    neither an EU member nor a COSME participant on 2018-01-01",
        ),
        fix=(
            "Check the cluster's country in clusters.csv. If the organisation really "
            "is established outside the programme's countries, remove it from "
            "members: it can still take part in activities, listed in their clusters "
            "column."
        ),
    ),
    "CK-GEO-004": Explanation(
        meaning=(
            "A cluster's NUTS region does not start with the EU code of the "
            "cluster's country. NUTS codes begin with the EU code, which is EL for "
            "Greece and UK for the United Kingdom rather than their ISO codes GR and "
            "GB. Either the region or the country is wrong, and a regional "
            "breakdown would place the cluster in the wrong country."
        ),
        example=_lines(
            "==> clusters.csv <==",
            "id,name,country,region",
            "GR-001,Attica Agrifood Cluster,GR,GR30",
            "",
            "clusters.csv:2:4: error CK-GEO-004 NUTS region GR30 is not in GR:",
            "    regions of Greece start with EL",
        ),
        fix=(
            "Write the region with the country's EU code (EL30 for Attica), or "
            "correct the country. Leave region empty when it is not known."
        ),
    ),
    "CK-PART-001": Explanation(
        meaning=(
            "A partnership has fewer distinct member clusters than its generation's "
            "min_members (3 in every shipped generation). A strategic cluster "
            "partnership is a consortium by definition: a smaller one was not "
            "eligible, or its member list is incomplete. The coordinator counts only "
            "when it is listed in members."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P2,FOOD-4I,Food Partnership for Third"
            " Markets,escp-4i-2,ES-001,ES-001;GR-001",
            "",
            "partnerships.csv:2:6: error CK-PART-001 2 member clusters; a partnership"
            " needs at least 3",
        ),
        fix=(
            "Complete the member list: every member's id, separated by ';', the "
            "coordinator included. An id listed twice counts once."
        ),
    ),
    "CK-PART-002": Explanation(
        meaning=(
            "A partnership's members come from fewer distinct countries than its "
            "generation's min_member_countries (3 when the generation does not say). "
            "It is a warning, not an error, because the public call texts confirm "
            "this rule only for the sister programme."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go Global,escp-4i-2,DE-001,DE-001;DE-002;FR-001",
            "",
            "partnerships.csv:2:6: warning CK-PART-002 members come from 2 countries"
            " (DE, FR);",
            "    at least 3 expected",
        ),
        fix=(
            "Check the member list, and the members' countries in clusters.csv. If "
            "the partnership really has members in fewer countries, use --ignore "
            "CK-PART-002."
        ),
    ),
    "CK-PART-003": Explanation(
        meaning=(
            "A partnership's coordinator is not among its members. The coordinator "
            "is one of the member cluster organisations, the one that leads the "
            "consortium, so it must be listed in members too; otherwise the member "
            "counts and country checks leave it out."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go"
            " Global,escp-4i-2,ES-001,DE-001;FR-001;IT-001;PL-001",
            "",
            "partnerships.csv:2:5: error CK-PART-003 coordinator 'ES-001' is not"
            " among the members",
            "    hint: add ES-001 to members",
        ),
        fix="Add the coordinator's id to members, or correct the coordinator.",
    ),
    "CK-PART-004": Explanation(
        meaning=(
            "A partnership's strand is not one of its generation's strands "
            "(escp-4i-2 has 1.a, 1.b and 2; escp-4i-4 has A and B); checked only "
            "when the generation lists strands. The strand decides the grant cap "
            "that CK-PART-006 checks."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,strand",
            "P1,PHOTON-GO,Photonics Go Global,escp-4i-2,3",
            "",
            "partnerships.csv:2:5: error CK-PART-004 strand '3' is not a strand of"
            " escp-4i-2 (1.a, 1.b, 2)",
        ),
        fix=(
            "Write the strand exactly as the generation labels it (the reference "
            "data lists every generation's strands), or leave it empty when it is "
            "not known."
        ),
    ),
    "CK-PART-005": Explanation(
        meaning=(
            "A partnership is voluntary in a generation that had no voluntary "
            "partnerships (voluntary_allowed is false). Only the first generation, "
            "escp-4i-1, had voluntary partnerships next to co-funded ones."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,funding",
            "P1,PHOTON-GO,Photonics Go Global,escp-4i-2,voluntary",
            "",
            "partnerships.csv:2:5: error CK-PART-005 escp-4i-2 had no voluntary"
            " partnerships;",
            "    every partnership of it was co-funded",
        ),
        fix=(
            "Correct funding to co_funded, or correct the generation if the "
            "partnership belongs to escp-4i-1."
        ),
    ),
    "CK-PART-006": Explanation(
        meaning=(
            "A partnership's grant_eur is above its generation's cap for its strand "
            "(escp-4i-2: 200000 for strands 1.a and 1.b, 448750 for strand 2), or a "
            "voluntary partnership, which had no EU funding, has a grant. A wrong "
            "grant misstates the EU contribution to the partnership."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,strand,grant_eur",
            "P1,PHOTON-GO,Photonics Go Global,escp-4i-2,2,4000000",
            "",
            "partnerships.csv:2:6: error CK-PART-006 grant of EUR 4000000 is above"
            " the cap of EUR 448750",
        ),
        fix=(
            "Correct the amount (in euro, without thousands separators), or leave "
            "grant_eur empty on a voluntary partnership. If the shipped cap does not "
            "fit your call, override the generation's max_grant_eur with a row of "
            "the same id in generations.csv."
        ),
    ),
    "CK-PART-007": Explanation(
        meaning=(
            "A cluster is a member of two partnerships of the same generation. This "
            "is unusual, and often means that a partnership was entered twice or a "
            "member id was copied into the wrong row; it is a warning because it "
            "can be legitimate. It is reported on the later partnership, once per "
            "shared member, and names the earlier one."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation,coordinator,members",
            "P1,PHOTON-GO,Photonics Go"
            " Global,escp-4i-2,IT-001,DE-001;FR-001;IT-001;PL-001",
            "P2,FOOD-4I,Food Partnership for Third"
            " Markets,escp-4i-2,ES-001,ES-001;GR-001;FR-001",
            "",
            "partnerships.csv:3:6: warning CK-PART-007 cluster 'FR-001' is also a"
            " member of 'P1',",
            "    another partnership of escp-4i-2",
        ),
        fix=(
            "Check both member lists and remove the wrong entry. If the cluster "
            "really belongs to both partnerships, use --ignore CK-PART-007."
        ),
    ),
    "CK-PART-008": Explanation(
        meaning=(
            "A partnership has fewer target countries in targets.csv than its "
            "generation's min_target_countries (an error), or more than its "
            "max_target_countries (a warning). Of the shipped generations only "
            "escp-4i-4 sets them: applicants had to name at least two target "
            "countries and were encouraged not to exceed five. The finding points "
            "at the partnership's id."
        ),
        example=_lines(
            "==> partnerships.csv <==",
            "id,acronym,name,generation",
            "P3,FOOD-GO,Food Go Global,escp-4i-4",
            "",
            "==> targets.csv <==",
            "partnership,country",
            "P3,US",
            "",
            "partnerships.csv:2:1: error CK-PART-008 partnership 'P3' declares 1"
            " target country;",
            "    escp-4i-4 asks for at least 2",
        ),
        fix=(
            "Add the partnership's missing targets to targets.csv, one row per "
            "country, or remove the surplus ones. To accept more targets than the "
            "maximum, use --ignore CK-PART-008 (this silences the minimum too)."
        ),
    ),
    "CK-COUNT-002": Explanation(
        meaning=(
            "An activity's smes_involved is smaller than the number of SMEs listed "
            "in its smes column. smes_involved is the headline figure (the first "
            "generation reported more than 2,700 SMEs involved); it may be larger "
            "than the list, when not every SME is named, but never smaller."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,smes,smes_involved",
            "A1,P1,business_mission,2018-05-14,SME-001;SME-002,1",
            "",
            "activities.csv:2:6: error CK-COUNT-002 smes_involved is 1, but 2 SMEs"
            " are listed",
        ),
        fix=(
            "Correct smes_involved to at least the number of listed SMEs, or remove "
            "from smes the SMEs that did not take part."
        ),
    ),
    "CK-COUNT-003": Explanation(
        meaning=(
            "A counter does not fit the activity's type: B2B meetings on a webinar "
            "or a training, or a b2b_matchmaking with b2b_meetings = 0. Counters "
            "that are not given default by type (a c2c_meeting counts one C2C "
            "meeting, for instance, and a b2b_matchmaking none), so a matchmaking "
            "without meetings usually means they were not filled in, and B2B "
            "meetings on a webinar the wrong type. The finding points at the counter."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,b2b_meetings",
            "A4,P1,webinar,2019-06-10,14",
            "",
            "activities.csv:2:5: warning CK-COUNT-003 14 B2B meetings on a webinar,"
            " which has none",
        ),
        fix=(
            "Correct the type (an online event with matchmaking sessions is a "
            "b2b_matchmaking or a partnering_event) or the counter, and fill in "
            "b2b_meetings for a matchmaking. If your partnership records online B2B "
            "sessions as webinars on purpose, use --ignore CK-COUNT-003."
        ),
    ),
    "CK-SME-001": Explanation(
        meaning=(
            "An SME's declared size_class contradicts its figures under Commission "
            "Recommendation 2003/361/EC: the headcount decides first, then the "
            "turnover or the balance sheet must be within the ceiling (micro: under "
            "10 staff and at most 2 million euro; small: under 50 and at most 10 "
            "million; medium: under 250 and a turnover of at most 50 million or a "
            "balance sheet of at most 43 million). Breakdowns by size class rely on "
            "the class agreeing with the figures."
        ),
        example=_lines(
            "==> smes.csv <==",
            "id,name,country,headcount,turnover_eur,size_class",
            "SME-002,Optique Nova SAS,FR,35,6000000,micro",
            "",
            "smes.csv:2:6: error CK-SME-001 declared micro, but the figures make it"
            " small",
        ),
        fix=(
            "Correct the size class or the figures, whichever is wrong, or leave "
            "size_class empty: clusterkit derives the class from the figures."
        ),
    ),
    "CK-SME-002": Explanation(
        meaning=(
            "An SME's figures are above the medium-enterprise ceiling: 250 staff or "
            "more, or both a turnover above 50 million euro and a balance sheet "
            "above 43 million. Such a company is not an SME, so it must not count "
            "towards the SMEs the programme helped. The finding points at headcount "
            "when it is 250 or more, else at turnover_eur."
        ),
        example=_lines(
            "==> smes.csv <==",
            "id,name,country,headcount",
            "SME-003,Sabores Catalanes S.L.,ES,320",
            "",
            "smes.csv:2:4: error CK-SME-002 the figures are above the ceilings of a"
            " medium-sized enterprise",
            "    (250 staff; EUR 50m turnover or EUR 43m balance sheet): not an SME",
        ),
        fix=(
            "Check the figures (headcount in annual work units, amounts in euro). "
            "If the company really is a large enterprise, remove it from smes.csv "
            "and from the activities' smes, and mention it in the activities' notes."
        ),
    ),
    "CK-SME-003": Explanation(
        meaning=(
            "An SME takes part in an activity without being a member of any of the "
            "partnership's member clusters; checked only when the SME lists its "
            "clusters. ESCP-4i actions are meant for the SMEs of the partner "
            "clusters, so either the SME's memberships are incomplete or it is "
            "listed on the wrong activity."
        ),
        example=_lines(
            "==> activities.csv <==",
            "id,partnership,type,start,smes",
            "A1,P1,business_mission,2018-05-14,SME-003",
            "",
            "(smes.csv gives SME-003 the cluster ES-001, which is not a member of P1)",
            "activities.csv:2:5: warning CK-SME-003 SME 'SME-003' is not a member of"
            " any cluster of",
            "    partnership 'P1'",
        ),
        fix=(
            "Complete the SME's clusters in smes.csv, or correct the activity's "
            "smes. If your partnerships open their activities to SMEs from outside "
            "the consortium, use --ignore CK-SME-003."
        ),
    ),
}
"""The explanation of every rule in the catalogue, by rule id."""

FAMILIES: dict[str, str] = {
    "CK-FILE": "files",
    "CK-HDR": "headers",
    "CK-ROW": "rows",
    "CK-TYPE": "values and dates",
    "CK-ENUM": "vocabularies",
    "CK-COUNTRY": "countries",
    "CK-COUNT": "counts",
    "CK-PK": "identity",
    "CK-FK": "references",
    "CK-ORPHAN": "unused records",
    "CK-DATE": "dates and periods",
    "CK-GEO": "geography",
    "CK-PART": "partnership structure",
    "CK-SME": "SMEs",
}
"""The heading of every rule family on the docs page."""

_STAGES = {
    "read": "checked while the files are read",
    "rows": "checked on every row, after reading",
    "dataset": "checked once, over the whole dataset",
}
_WIDTH = 88
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z`'])")


def _paragraph(text: str) -> str:
    """Wrap prose for a terminal, indented by two spaces."""
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent="  ",
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def explain(rule_id: str) -> str:
    """The text `clusterkit explain RULE` prints: meaning, example and how to fix.

    Added in version 0.1.0.

    Args:
        rule_id: A rule id such as `CK-FK-001`, in any case.

    Returns:
        The rule's id, severity and title, then its meaning, a failing example and
        how to fix it, as plain text with lines shorter than 100 characters.

    Raises:
        ValueError: `rule_id` is not in the catalogue; the message suggests the
            closest ids.

    Examples:
        >>> print(explain("ck-fk-001").splitlines()[0])
        CK-FK-001  [error]  activity refers to an unknown partnership
    """
    key = rule_id.strip().upper()
    if key not in CATALOGUE:
        close = difflib.get_close_matches(key, CATALOGUE, n=3, cutoff=0.6)
        suggestion = f"did you mean {', '.join(close)}? " if close else ""
        msg = (
            f"unknown rule {rule_id!r}; {suggestion}'clusterkit rules' lists every rule"
        )
        raise ValueError(msg)
    rule = CATALOGUE[key]
    entry = EXPLANATIONS[key]
    example = textwrap.indent(entry.example, "    ", lambda line: bool(line.strip()))
    return "\n".join(
        (
            f"{rule.id}  [{rule.severity.value}]  {rule.title}",
            "",
            "Meaning",
            _paragraph(entry.meaning),
            "",
            "Example",
            example,
            "",
            "How to fix",
            _paragraph(entry.fix),
            "",
        )
    )


def _sentences(text: str) -> str:
    """Prose for Markdown, one sentence per line, as the other docs pages have it."""
    return _SENTENCE_END.sub("\n", text)


def _join(names: list[str]) -> str:
    """Names as code, in an English list: `A`, `B` and `C` (empty for none)."""
    quoted = [f"`{name}`" for name in names]
    return " and ".join(text for text in (", ".join(quoted[:-1]), *quoted[-1:]) if text)


def _summary_row(rule: Rule) -> str:
    """The summary table's row for one rule."""
    anchor = rule.id.lower()
    return f"| [{rule.id}](#{anchor}) | {rule.severity.value} | {rule.title} |"


def _section(rule: Rule) -> str:
    """The Markdown section of one rule."""
    entry = EXPLANATIONS[rule.id]
    runs = _STAGES[rule.stage]
    if not rule.default:
        runs += "; off unless named with `--select`"
    return "\n".join(
        (
            f"### {rule.id}: {rule.title} {{ #{rule.id.lower()} }}",
            "",
            f"Severity: **{rule.severity.value}**; {runs}.",
            "",
            _sentences(entry.meaning),
            "",
            "For example:",
            "",
            "```text",
            entry.example,
            "```",
            "",
            f"**How to fix.** {_sentences(entry.fix)}",
            "",
        )
    )


def _intro() -> str:
    """The introduction of the docs page, with the rule lists taken from the catalogue."""
    families: list[str] = []
    singles: list[str] = []
    for rule in CATALOGUE.values():
        family = [other for other in CATALOGUE.values() if other.family == rule.family]
        whole = all(other.stage == "read" for other in family)
        if rule.stage == "read" and not whole:
            singles.append(rule.id)
        elif rule.stage == "read" and rule.family not in families:
            families.append(rule.family)
    read_text = ", and ".join(
        text
        for text in (f"every rule of the families {_join(families)}", _join(singles))
        if text
    )
    off = _join([rule.id for rule in CATALOGUE.values() if not rule.default])
    paragraphs = (
        "# Rules",
        (
            "Every finding of `clusterkit validate` names the rule that found it, such "
            "as `CK-FK-001`. This page lists every rule: what it finds, a small failing "
            "example with the finding it produces, and how to fix it. `clusterkit "
            "rules` lists the rules with their severities, and `clusterkit explain "
            "CK-FK-001` prints one rule's entry from this page."
        ),
        (
            "Rule ids are stable: a rule is never renamed or reused for something "
            "else, and renaming one would be a breaking change, announced in the "
            "[changelog](../changelog.md). The wording of messages may improve between "
            "versions; rule ids and locations do not change."
        ),
        "## Severities and when rules run",
        "Each rule has a severity:",
        (
            "- **error**: the data is wrong, and `clusterkit validate` fails (with the "
            "default `--fail-on error`, exit code 1);\n"
            "- **warning**: the data is probably wrong, or unusual; warnings fail the "
            "run only with `--fail-on warning`;\n"
            "- **info**: a remark, for tidying a dataset, that never fails the run."
        ),
        (
            "`CK-PART-008` is the one rule with two severities: an error for too few "
            "target countries and a warning for too many."
        ),
        (
            "These rules are checked while the files are read, cell by cell: "
            f"{read_text}. A file that cannot be read (`CK-FILE-001`) stops there, and "
            "a row that cannot be read (`CK-ROW-001`) is skipped, so neither reaches "
            "the later checks. The other rules run after reading: on every row, "
            "against the ids of the other tables, or once over the whole dataset."
        ),
        (
            f"{off} is off by default: it runs only when named with `--select`. "
            "`--select` and `--ignore` take rule ids or family prefixes such as "
            "`CK-GEO`; see the [command line](cli.md)."
        ),
        "## Reading the examples",
        (
            "Each example shows the file as `head` does (`==> activities.csv <==`), "
            "with only the columns that matter, then the finding line as `clusterkit "
            "validate` prints it: `file:line:column: severity RULE message`. Lines are "
            "physical lines of the file with the header on line 1, and the column is "
            "the field's position in the header, counting from 1. Lines in "
            "parentheses describe the rest of the dataset. A finding line too long "
            "for the page continues on the next line, indented by four spaces. An "
            "indented line starting with `hint:` is the finding's hint (the closest "
            "valid id or value, or how to write the value), which the text format "
            "prints under the finding. A finding also carries related places (the "
            "first occurrence of a duplicate, the partnership row of an activity), "
            "which the JSON report shows. The [data format](data-format.md) says how "
            "every value is written."
        ),
    )
    return "\n\n".join(_sentences(paragraph) for paragraph in paragraphs) + "\n"


def rules_markdown() -> str:
    """The docs page `docs/reference/rules.md`: every rule, generated from the catalogue.

    Added in version 0.1.0.

    Returns:
        Markdown: an introduction, a summary table, then one section per rule
        family with the meaning, a failing example and how to fix each rule.
    """
    parts = [
        _intro(),
        "## Summary",
        "",
        "| Rule | Severity | Title |",
        "| --- | --- | --- |",
        *(_summary_row(rule) for rule in CATALOGUE.values()),
        "",
    ]
    by_family: dict[str, list[Rule]] = {}
    for rule in CATALOGUE.values():
        by_family.setdefault(rule.family, []).append(rule)
    for family, rules in by_family.items():
        parts.extend((f"## {family}: {FAMILIES[family]} {{ #{family.lower()} }}", ""))
        parts.extend(_section(rule) for rule in rules)
    return "\n".join(parts).rstrip("\n") + "\n"
