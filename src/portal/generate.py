"""Deterministic generator of FICTIONAL counselor listings.

``python -m portal.generate --out seed/counselors.json`` rebuilds the checked-in seed file byte for
byte: a fixed ``random.Random(seed)``, a fixed anchor date (2026-11-20) instead of the wall
clock, and no iteration over sets or hash-ordered containers.

``--synthetic --count 100000`` produces a large benchmark set: same record shape, unique slugs
(suffixed with an index), offices spread over the metros and over ZIP codes all over the
country. Synthetic files are marked ``"synthetic": true`` and must never be shown as real.

Every person, licence number, phone number (555-01xx), e-mail and website (example.org / .com /
.net) produced here is invented.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ANCHOR = date(2026, 11, 20)
"""'Today' for the generated data: verification and opening dates are relative to it."""
OPENING_LAST = date(2027, 2, 28)
DEFAULT_SEED = 2026
DEFAULT_COUNT = 462  # 410, and the COVERAGE listings after them
TELEHEALTH_SHARE = 60 / 410  # ~60 telehealth-only listings in the default seed

# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "Washington, DC",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}  # fmt: skip
STATES: tuple[str, ...] = tuple(STATE_NAMES)  # 50 states + DC

# One plausible area code per state, for telehealth-only listings (the number is 555-01xx).
STATE_AREA: dict[str, str] = {
    "AL": "205", "AK": "907", "AZ": "520", "AR": "501", "CA": "916", "CO": "719", "CT": "860",
    "DE": "302", "DC": "202", "FL": "407", "GA": "912", "HI": "808", "ID": "208", "IL": "217",
    "IN": "317", "IA": "515", "KS": "785", "KY": "502", "LA": "225", "ME": "207", "MD": "301",
    "MA": "413", "MI": "616", "MN": "218", "MS": "601", "MO": "417", "MT": "406", "NE": "402",
    "NV": "702", "NH": "603", "NJ": "609", "NM": "575", "NY": "518", "NC": "828", "ND": "701",
    "OH": "216", "OK": "405", "OR": "541", "PA": "814", "RI": "401", "SC": "803", "SD": "605",
    "TN": "865", "TX": "915", "UT": "435", "VT": "802", "VA": "804", "WA": "509", "WV": "304",
    "WI": "608", "WY": "307",
}  # fmt: skip

# States whose professional counselors are licensed as LMHC rather than LPC.
LMHC_STATES = frozenset({"NY", "MA", "FL", "WA", "RI", "NH", "IN", "HI", "ID"})
# States where Kaiser Permanente runs a plan.
KAISER_STATES = frozenset({"CA", "CO", "GA", "HI", "MD", "DC", "VA", "OR", "WA"})


@dataclass(frozen=True)
class Metro:
    slug: str
    label: str
    weight: int  # share of the metro listings
    tier: int  # 1 = lower fees ... 3 = big coastal metro, widest and highest fees
    zips: tuple[tuple[str, str, str, str], ...]  # (zip, city, state, area code)
    county: str
    hoods: tuple[str, ...]
    neighbours: tuple[str, ...]  # other states a clinician here may also be licensed in
    heritage: tuple[tuple[str, int], ...]  # name/language pools and their weights


def _zips(spec: str) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for item in spec.split(";"):
        zip_code, city, state, area = (part.strip() for part in item.split("|"))
        out.append((zip_code, city, state, area))
    return tuple(out)


METROS: tuple[Metro, ...] = (
    Metro(
        "new-york",
        "New York",
        24,
        3,
        _zips(
            "10025|New York|NY|212; 10011|New York|NY|212; 10003|New York|NY|646; "
            "10016|New York|NY|212; 10028|New York|NY|917; 11215|Brooklyn|NY|718; "
            "11217|Brooklyn|NY|347; 11375|Forest Hills|NY|718; 10463|Bronx|NY|718; "
            "07302|Jersey City|NJ|201; 10032|New York|NY|646; 11101|Long Island City|NY|718"
        ),
        "Kings County",
        ("Washington Heights", "Park Slope", "the South Bronx", "Flushing"),
        ("NJ", "CT"),
        (
            ("general", 50),
            ("hispanic", 22),
            ("chinese", 6),
            ("russian", 4),
            ("haitian", 4),
            ("korean", 3),
            ("south-asian", 5),
            ("polish", 2),
        ),
    ),
    Metro(
        "los-angeles",
        "Los Angeles",
        20,
        3,
        _zips(
            "90026|Los Angeles|CA|213; 90033|Los Angeles|CA|323; 90019|Los Angeles|CA|323; "
            "90034|Los Angeles|CA|310; 91205|Glendale|CA|818; 90804|Long Beach|CA|562; "
            "90255|Huntington Park|CA|323; 91101|Pasadena|CA|626; 90066|Los Angeles|CA|310; "
            "90023|Los Angeles|CA|323; 91601|North Hollywood|CA|818"
        ),
        "Los Angeles County",
        ("Boyle Heights", "Koreatown", "Echo Park", "the San Fernando Valley"),
        (),
        (
            ("general", 40),
            ("hispanic", 35),
            ("korean", 7),
            ("filipino", 6),
            ("chinese", 5),
            ("vietnamese", 3),
            ("arab", 2),
        ),
    ),
    Metro(
        "chicago",
        "Chicago",
        24,
        2,
        _zips(
            "60614|Chicago|IL|773; 60647|Chicago|IL|773; 60608|Chicago|IL|312; "
            "60623|Chicago|IL|773; 60657|Chicago|IL|773; 60640|Chicago|IL|773; "
            "60618|Chicago|IL|773; 60625|Chicago|IL|773; 60302|Oak Park|IL|708; "
            "60201|Evanston|IL|847; 60632|Chicago|IL|773; 60629|Chicago|IL|773; "
            "60660|Chicago|IL|773"
        ),
        "Cook County",
        ("Pilsen", "Little Village", "Logan Square", "Rogers Park", "Uptown"),
        ("IN", "WI"),
        (
            ("general", 50),
            ("hispanic", 28),
            ("polish", 7),
            ("south-asian", 4),
            ("arab", 3),
            ("korean", 2),
            ("somali", 1),
        ),
    ),
    Metro(
        "houston",
        "Houston",
        14,
        2,
        _zips(
            "77006|Houston|TX|713; 77008|Houston|TX|713; 77036|Houston|TX|832; "
            "77081|Houston|TX|713; 77011|Houston|TX|713; 77024|Houston|TX|713; "
            "77098|Houston|TX|832; 77493|Katy|TX|281; 77009|Houston|TX|713"
        ),
        "Harris County",
        ("the East End", "Gulfton", "the Heights", "Alief"),
        (),
        (
            ("general", 45),
            ("hispanic", 35),
            ("vietnamese", 8),
            ("south-asian", 5),
            ("arab", 3),
            ("chinese", 3),
        ),
    ),
    Metro(
        "phoenix",
        "Phoenix",
        12,
        1,
        _zips(
            "85004|Phoenix|AZ|602; 85013|Phoenix|AZ|602; 85015|Phoenix|AZ|602; "
            "85281|Tempe|AZ|480; 85201|Mesa|AZ|480; 85301|Glendale|AZ|623; "
            "85033|Phoenix|AZ|623; 85016|Phoenix|AZ|602"
        ),
        "Maricopa County",
        ("Maryvale", "Arcadia", "South Phoenix", "downtown Mesa"),
        (),
        (("general", 55), ("hispanic", 35), ("vietnamese", 2), ("arab", 2)),
    ),
    Metro(
        "philadelphia",
        "Philadelphia",
        12,
        2,
        _zips(
            "19103|Philadelphia|PA|215; 19147|Philadelphia|PA|215; 19125|Philadelphia|PA|267; "
            "19143|Philadelphia|PA|215; 19119|Philadelphia|PA|215; 19104|Philadelphia|PA|267; "
            "08002|Cherry Hill|NJ|856; 19446|Lansdale|PA|215"
        ),
        "Philadelphia County",
        ("Fishtown", "Kensington", "Mount Airy", "South Philly"),
        ("NJ", "DE"),
        (
            ("general", 62),
            ("hispanic", 14),
            ("vietnamese", 4),
            ("russian", 3),
            ("chinese", 3),
            ("haitian", 2),
        ),
    ),
    Metro(
        "san-antonio",
        "San Antonio",
        10,
        1,
        _zips(
            "78212|San Antonio|TX|210; 78204|San Antonio|TX|210; 78207|San Antonio|TX|210; "
            "78209|San Antonio|TX|210; 78229|San Antonio|TX|210; 78201|San Antonio|TX|210; "
            "78216|San Antonio|TX|210"
        ),
        "Bexar County",
        ("the West Side", "Southtown", "Alamo Heights", "the Medical Center"),
        (),
        (("general", 40), ("hispanic", 55), ("filipino", 2)),
    ),
    Metro(
        "san-diego",
        "San Diego",
        10,
        3,
        _zips(
            "92103|San Diego|CA|619; 92104|San Diego|CA|619; 92113|San Diego|CA|619; "
            "92108|San Diego|CA|619; 92024|Encinitas|CA|760; 91910|Chula Vista|CA|619; "
            "92117|San Diego|CA|858"
        ),
        "San Diego County",
        ("North Park", "Barrio Logan", "City Heights", "Clairemont"),
        (),
        (
            ("general", 50),
            ("hispanic", 32),
            ("filipino", 7),
            ("vietnamese", 4),
            ("somali", 2),
            ("arab", 3),
        ),
    ),
    Metro(
        "dallas",
        "Dallas",
        12,
        2,
        _zips(
            "75204|Dallas|TX|214; 75206|Dallas|TX|214; 75211|Dallas|TX|214; "
            "75214|Dallas|TX|214; 76104|Fort Worth|TX|817; 75024|Plano|TX|972; "
            "75040|Garland|TX|972"
        ),
        "Dallas County",
        ("Oak Cliff", "Lakewood", "Uptown", "Deep Ellum"),
        (),
        (("general", 55), ("hispanic", 30), ("vietnamese", 4), ("south-asian", 6), ("korean", 2)),
    ),
    Metro(
        "bay-area",
        "the Bay Area",
        14,
        3,
        _zips(
            "94110|San Francisco|CA|415; 94117|San Francisco|CA|415; 94612|Oakland|CA|510; "
            "94609|Oakland|CA|510; 94704|Berkeley|CA|510; 95112|San Jose|CA|408; "
            "94301|Palo Alto|CA|650; 94501|Alameda|CA|510"
        ),
        "Alameda County",
        ("the Mission", "Fruitvale", "the Sunset", "East San Jose"),
        (),
        (
            ("general", 45),
            ("hispanic", 20),
            ("chinese", 12),
            ("vietnamese", 6),
            ("filipino", 6),
            ("south-asian", 6),
            ("korean", 2),
        ),
    ),
    Metro(
        "seattle",
        "Seattle",
        11,
        3,
        _zips(
            "98103|Seattle|WA|206; 98122|Seattle|WA|206; 98118|Seattle|WA|206; "
            "98105|Seattle|WA|206; 98004|Bellevue|WA|425; 98033|Kirkland|WA|425; "
            "98144|Seattle|WA|206"
        ),
        "King County",
        ("Capitol Hill", "Rainier Valley", "Ballard", "the Central District"),
        ("OR",),
        (
            ("general", 60),
            ("hispanic", 10),
            ("vietnamese", 5),
            ("somali", 5),
            ("chinese", 5),
            ("korean", 3),
            ("filipino", 4),
            ("russian", 2),
        ),
    ),
    Metro(
        "denver",
        "Denver",
        11,
        2,
        _zips(
            "80203|Denver|CO|303; 80205|Denver|CO|303; 80210|Denver|CO|720; "
            "80219|Denver|CO|303; 80302|Boulder|CO|303; 80111|Englewood|CO|303; "
            "80220|Denver|CO|720"
        ),
        "Denver County",
        ("Capitol Hill", "Westwood", "Five Points", "Highland"),
        (),
        (("general", 65), ("hispanic", 25), ("vietnamese", 2), ("somali", 1)),
    ),
    Metro(
        "washington-dc",
        "Washington, DC",
        13,
        3,
        _zips(
            "20009|Washington|DC|202; 20002|Washington|DC|202; 20011|Washington|DC|202; "
            "20814|Bethesda|MD|301; 20910|Silver Spring|MD|301; 22201|Arlington|VA|703; "
            "22304|Alexandria|VA|703"
        ),
        "Montgomery County",
        ("Columbia Heights", "Petworth", "Capitol Hill", "Langley Park"),
        ("DC", "MD", "VA"),
        (
            ("general", 55),
            ("hispanic", 18),
            ("arab", 4),
            ("korean", 3),
            ("south-asian", 5),
            ("vietnamese", 3),
            ("haitian", 2),
        ),
    ),
    Metro(
        "boston",
        "Boston",
        12,
        3,
        _zips(
            "02116|Boston|MA|617; 02130|Jamaica Plain|MA|617; 02139|Cambridge|MA|617; "
            "02144|Somerville|MA|617; 02148|Malden|MA|781; 02215|Boston|MA|617; "
            "02446|Brookline|MA|617"
        ),
        "Suffolk County",
        ("Jamaica Plain", "Dorchester", "East Boston", "Mattapan"),
        ("NH", "RI"),
        (
            ("general", 58),
            ("hispanic", 12),
            ("haitian", 7),
            ("chinese", 5),
            ("brazilian", 6),
            ("vietnamese", 3),
            ("russian", 2),
        ),
    ),
    Metro(
        "atlanta",
        "Atlanta",
        11,
        2,
        _zips(
            "30306|Atlanta|GA|404; 30307|Atlanta|GA|404; 30310|Atlanta|GA|404; "
            "30030|Decatur|GA|404; 30309|Atlanta|GA|404; 30093|Norcross|GA|770"
        ),
        "DeKalb County",
        ("East Atlanta", "West End", "Buford Highway", "Midtown"),
        (),
        (("general", 68), ("hispanic", 12), ("korean", 5), ("vietnamese", 4), ("south-asian", 4)),
    ),
    Metro(
        "miami",
        "Miami",
        14,
        2,
        _zips(
            "33135|Miami|FL|305; 33145|Miami|FL|305; 33130|Miami|FL|305; "
            "33137|Miami|FL|786; 33155|Miami|FL|305; 33012|Hialeah|FL|305; "
            "33301|Fort Lauderdale|FL|954; 33133|Miami|FL|305"
        ),
        "Miami-Dade County",
        ("Little Havana", "Little Haiti", "Westchester", "Coconut Grove"),
        (),
        (("general", 25), ("hispanic", 55), ("haitian", 10), ("brazilian", 4), ("russian", 2)),
    ),
    Metro(
        "minneapolis",
        "Minneapolis-Saint Paul",
        10,
        2,
        _zips(
            "55406|Minneapolis|MN|612; 55408|Minneapolis|MN|612; 55104|Saint Paul|MN|651; "
            "55105|Saint Paul|MN|651; 55418|Minneapolis|MN|612; 55337|Burnsville|MN|952"
        ),
        "Hennepin County",
        ("Cedar-Riverside", "Frogtown", "Powderhorn", "Northeast"),
        ("WI",),
        (("general", 64), ("somali", 9), ("hispanic", 10), ("vietnamese", 4), ("arab", 2)),
    ),
    Metro(
        "detroit",
        "Detroit",
        10,
        1,
        _zips(
            "48201|Detroit|MI|313; 48209|Detroit|MI|313; 48226|Detroit|MI|313; "
            "48067|Royal Oak|MI|248; 48104|Ann Arbor|MI|734; 48124|Dearborn|MI|313"
        ),
        "Wayne County",
        ("Southwest Detroit", "Midtown", "Corktown", "east Dearborn"),
        ("OH",),
        (("general", 62), ("arab", 14), ("hispanic", 10), ("polish", 4)),
    ),
    Metro(
        "portland",
        "Portland",
        10,
        2,
        _zips(
            "97202|Portland|OR|503; 97212|Portland|OR|503; 97214|Portland|OR|503; "
            "97217|Portland|OR|971; 97005|Beaverton|OR|503; 98660|Vancouver|WA|360"
        ),
        "Multnomah County",
        ("Sellwood", "Alberta", "Hawthorne", "St. Johns"),
        ("OR", "WA"),
        (("general", 70), ("hispanic", 14), ("vietnamese", 5), ("russian", 4), ("chinese", 2)),
    ),
    Metro(
        "nashville",
        "Nashville",
        9,
        1,
        _zips(
            "37203|Nashville|TN|615; 37206|Nashville|TN|615; 37212|Nashville|TN|615; "
            "37209|Nashville|TN|615; 37211|Nashville|TN|615; 37064|Franklin|TN|615"
        ),
        "Davidson County",
        ("East Nashville", "Nolensville Pike", "the Nations", "Germantown"),
        (),
        (("general", 75), ("hispanic", 11), ("arab", 4), ("somali", 2)),
    ),
    Metro(
        "charlotte",
        "Charlotte",
        9,
        1,
        _zips(
            "28203|Charlotte|NC|704; 28205|Charlotte|NC|704; 28204|Charlotte|NC|704; "
            "28210|Charlotte|NC|980; 28269|Charlotte|NC|704"
        ),
        "Mecklenburg County",
        ("Plaza Midwood", "South End", "NoDa", "east Charlotte"),
        ("SC",),
        (("general", 72), ("hispanic", 14), ("vietnamese", 4), ("south-asian", 4)),
    ),
    Metro(
        "kansas-city",
        "Kansas City",
        9,
        1,
        _zips(
            "64111|Kansas City|MO|816; 64108|Kansas City|MO|816; 66103|Kansas City|KS|913; "
            "66204|Overland Park|KS|913; 64155|Kansas City|MO|816"
        ),
        "Jackson County",
        ("Westport", "the Crossroads", "Rosedale", "the Northland"),
        ("KS", "MO"),
        (("general", 74), ("hispanic", 14), ("somali", 2), ("vietnamese", 2)),
    ),
    Metro(
        "st-louis",
        "St. Louis",
        9,
        1,
        _zips(
            "63104|Saint Louis|MO|314; 63110|Saint Louis|MO|314; 63118|Saint Louis|MO|314; "
            "63130|Saint Louis|MO|314; 63301|Saint Charles|MO|636"
        ),
        "St. Louis County",
        ("Soulard", "the Grove", "Cherokee Street", "University City"),
        ("IL",),
        (("general", 80), ("hispanic", 7), ("russian", 2), ("vietnamese", 2)),
    ),
    Metro(
        "salt-lake-city",
        "Salt Lake City",
        8,
        1,
        _zips(
            "84102|Salt Lake City|UT|801; 84105|Salt Lake City|UT|801; "
            "84106|Salt Lake City|UT|801; 84111|Salt Lake City|UT|801; 84047|Midvale|UT|801; "
            "84604|Provo|UT|801"
        ),
        "Salt Lake County",
        ("Sugar House", "Rose Park", "the Avenues", "Glendale"),
        ("ID",),
        (("general", 75), ("hispanic", 16), ("filipino", 2), ("brazilian", 2)),
    ),
    Metro(
        "albuquerque",
        "Albuquerque",
        8,
        1,
        _zips(
            "87102|Albuquerque|NM|505; 87106|Albuquerque|NM|505; 87108|Albuquerque|NM|505; "
            "87110|Albuquerque|NM|505; 87121|Albuquerque|NM|505"
        ),
        "Bernalillo County",
        ("Nob Hill", "the South Valley", "Barelas", "the International District"),
        (),
        (("general", 50), ("hispanic", 45), ("vietnamese", 2)),
    ),
    Metro(
        "pittsburgh",
        "Pittsburgh",
        8,
        1,
        _zips(
            "15213|Pittsburgh|PA|412; 15217|Pittsburgh|PA|412; 15206|Pittsburgh|PA|412; "
            "15222|Pittsburgh|PA|412; 15237|Pittsburgh|PA|412"
        ),
        "Allegheny County",
        ("Squirrel Hill", "Lawrenceville", "the Hill District", "East Liberty"),
        ("OH",),
        (("general", 82), ("polish", 4), ("chinese", 3), ("south-asian", 3)),
    ),
    Metro(
        "columbus",
        "Columbus",
        8,
        1,
        _zips(
            "43201|Columbus|OH|614; 43206|Columbus|OH|614; 43214|Columbus|OH|614; "
            "43205|Columbus|OH|614; 43085|Columbus|OH|614"
        ),
        "Franklin County",
        ("German Village", "Clintonville", "Olde Towne East", "Linden"),
        (),
        (("general", 72), ("somali", 8), ("hispanic", 8), ("south-asian", 4)),
    ),
    Metro(
        "new-orleans",
        "New Orleans",
        8,
        1,
        _zips(
            "70115|New Orleans|LA|504; 70119|New Orleans|LA|504; 70118|New Orleans|LA|504; "
            "70124|New Orleans|LA|504; 70003|Metairie|LA|504"
        ),
        "Orleans Parish",
        ("the Bywater", "Mid-City", "Gentilly", "the Seventh Ward"),
        (),
        (("general", 74), ("hispanic", 10), ("vietnamese", 7), ("haitian", 2)),
    ),
    Metro(
        "baltimore",
        "Baltimore",
        8,
        2,
        _zips(
            "21201|Baltimore|MD|410; 21218|Baltimore|MD|410; 21224|Baltimore|MD|443; "
            "21211|Baltimore|MD|410; 21230|Baltimore|MD|410"
        ),
        "Baltimore County",
        ("Hampden", "Highlandtown", "Charles Village", "Federal Hill"),
        ("DC", "VA"),
        (("general", 76), ("hispanic", 10), ("korean", 3), ("russian", 2)),
    ),
    Metro(
        "austin",
        "Austin",
        10,
        2,
        _zips(
            "78704|Austin|TX|512; 78702|Austin|TX|512; 78751|Austin|TX|512; "
            "78745|Austin|TX|512; 78757|Austin|TX|737; 78741|Austin|TX|512"
        ),
        "Travis County",
        ("East Austin", "Montopolis", "Hyde Park", "South Congress"),
        (),
        (("general", 60), ("hispanic", 30), ("vietnamese", 3), ("south-asian", 4)),
    ),
    Metro(
        "milwaukee",
        "Milwaukee",
        7,
        1,
        _zips(
            "53202|Milwaukee|WI|414; 53204|Milwaukee|WI|414; 53211|Milwaukee|WI|414; "
            "53215|Milwaukee|WI|414; 53212|Milwaukee|WI|414"
        ),
        "Milwaukee County",
        ("Walker's Point", "Bay View", "Riverwest", "the Near South Side"),
        ("IL",),
        (("general", 66), ("hispanic", 18), ("polish", 5)),
    ),
    Metro(
        "raleigh-durham",
        "Raleigh-Durham",
        8,
        1,
        _zips(
            "27601|Raleigh|NC|919; 27605|Raleigh|NC|919; 27701|Durham|NC|919; "
            "27705|Durham|NC|919; 27513|Cary|NC|919"
        ),
        "Durham County",
        ("downtown Durham", "Oakwood", "North Raleigh", "East Durham"),
        ("SC",),
        (("general", 72), ("hispanic", 12), ("south-asian", 6), ("chinese", 3)),
    ),
)
METRO_BY_SLUG: dict[str, Metro] = {m.slug: m for m in METROS}

# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "general": {
        "woman": (
            "Abigail",
            "Aisha",
            "Alison",
            "Amara",
            "Andrea",
            "Angela",
            "Anna",
            "Beth",
            "Brianna",
            "Caitlin",
            "Camille",
            "Carla",
            "Claire",
            "Danielle",
            "Deborah",
            "Denise",
            "Ebony",
            "Elena",
            "Ellen",
            "Erin",
            "Gwen",
            "Hannah",
            "Heather",
            "Imani",
            "Jacqueline",
            "Janelle",
            "Jessica",
            "Joanna",
            "Julia",
            "Kara",
            "Katherine",
            "Keisha",
            "Kendra",
            "Laura",
            "Lauren",
            "Leah",
            "LaToya",
            "Lydia",
            "Margaret",
            "Megan",
            "Meredith",
            "Monique",
            "Nadia",
            "Naomi",
            "Nicole",
            "Olivia",
            "Rachel",
            "Rebecca",
            "Renee",
            "Ruth",
            "Sarah",
            "Shannon",
            "Simone",
            "Tamara",
            "Tanisha",
            "Theresa",
            "Tiana",
            "Valerie",
            "Whitney",
            "Yolanda",
        ),
        "man": (
            "Aaron",
            "Andre",
            "Anthony",
            "Ben",
            "Brandon",
            "Caleb",
            "Cedric",
            "Charles",
            "Colin",
            "Darnell",
            "David",
            "Derek",
            "Desmond",
            "Elliot",
            "Evan",
            "Gabriel",
            "Gregory",
            "Isaac",
            "Jamal",
            "Jason",
            "Jerome",
            "Jonathan",
            "Kevin",
            "Lamar",
            "Malcolm",
            "Marcus",
            "Martin",
            "Matthew",
            "Michael",
            "Nathan",
            "Neil",
            "Owen",
            "Patrick",
            "Paul",
            "Reginald",
            "Robert",
            "Russell",
            "Samuel",
            "Terrence",
            "Thomas",
            "Trevor",
            "Victor",
            "Walter",
            "Wesley",
        ),
        "nonbinary": (
            "Alex",
            "Avery",
            "Blake",
            "Casey",
            "Drew",
            "Ellis",
            "Emerson",
            "Finley",
            "Jordan",
            "Jules",
            "Kai",
            "Morgan",
            "Quinn",
            "Reese",
            "River",
            "Robin",
            "Rowan",
            "Sage",
            "Sam",
            "Skyler",
            "Taylor",
        ),
        "last": (
            "Abbott",
            "Adams",
            "Baker",
            "Barnes",
            "Bell",
            "Bennett",
            "Bishop",
            "Boyd",
            "Brooks",
            "Burke",
            "Campbell",
            "Carter",
            "Chambers",
            "Coleman",
            "Collins",
            "Crawford",
            "Dawson",
            "Dixon",
            "Doyle",
            "Ellison",
            "Fitzgerald",
            "Fleming",
            "Foster",
            "Franklin",
            "Gallagher",
            "Gibson",
            "Graham",
            "Greene",
            "Hale",
            "Hammond",
            "Harper",
            "Hayes",
            "Holloway",
            "Hughes",
            "Jefferson",
            "Jennings",
            "Keller",
            "Kennedy",
            "Lambert",
            "Lawson",
            "Lindqvist",
            "Mackey",
            "Marsh",
            "McBride",
            "Mercer",
            "Morrison",
            "Murphy",
            "Nichols",
            "Norris",
            "O'Connell",
            "Osei",
            "Okafor",
            "Palmer",
            "Parker",
            "Pierce",
            "Porter",
            "Quinn",
            "Reid",
            "Robinson",
            "Rowe",
            "Sanders",
            "Shapiro",
            "Simmons",
            "Sullivan",
            "Thornton",
            "Tucker",
            "Vance",
            "Wallace",
            "Warren",
            "Washington",
            "Webb",
            "Whitaker",
            "Williams",
            "Wright",
            "Young",
            "Goldberg",
            "Adeyemi",
            "Schmidt",
            "Larsen",
        ),
    },
    "hispanic": {
        "woman": (
            "Alejandra",
            "Ana",
            "Beatriz",
            "Carmen",
            "Claudia",
            "Daniela",
            "Elena",
            "Esperanza",
            "Gabriela",
            "Guadalupe",
            "Isabel",
            "Lorena",
            "Lucía",
            "Marisol",
            "María",
            "Mónica",
            "Natalia",
            "Paola",
            "Rosa",
            "Sofía",
            "Valeria",
            "Ximena",
            "Yesenia",
            "Adriana",
            "Verónica",
        ),
        "man": (
            "Alejandro",
            "Andrés",
            "Carlos",
            "Diego",
            "Eduardo",
            "Emilio",
            "Fernando",
            "Francisco",
            "Javier",
            "Jorge",
            "José",
            "Luis",
            "Manuel",
            "Miguel",
            "Óscar",
            "Rafael",
            "Ricardo",
            "Roberto",
            "Santiago",
            "Tomás",
        ),
        "nonbinary": ("Alexis", "Ariel", "Cruz", "Dani", "Guadalupe", "Noa", "René", "Sol"),
        "last": (
            "Aguilar",
            "Alvarado",
            "Castillo",
            "Castro",
            "Cervantes",
            "Delgado",
            "Díaz",
            "Espinoza",
            "Flores",
            "Fuentes",
            "García",
            "Gutiérrez",
            "Hernández",
            "Ibarra",
            "Jiménez",
            "López",
            "Maldonado",
            "Márquez",
            "Medina",
            "Mendoza",
            "Morales",
            "Navarro",
            "Ortega",
            "Ortiz",
            "Peña",
            "Ramírez",
            "Reyes",
            "Ríos",
            "Rodríguez",
            "Salazar",
            "Sandoval",
            "Soto",
            "Torres",
            "Valdez",
            "Vargas",
            "Vega",
            "Zamora",
        ),
    },
    "chinese": {
        "woman": ("Mei", "Li Na", "Xiaoling", "Yan", "Hui", "Jing", "Grace", "Wendy", "Lin"),
        "man": ("Wei", "Jun", "Hao", "Ming", "Kevin", "Tao", "Zhen"),
        "nonbinary": ("Yu", "An", "Jin"),
        "last": ("Chen", "Wang", "Liu", "Zhang", "Huang", "Lin", "Wu", "Zhou", "Lee", "Chan"),
    },
    "vietnamese": {
        "woman": ("Linh", "Thao", "Ngoc", "Hanh", "Mai", "Trang", "Vy", "Lan"),
        "man": ("Minh", "Tuan", "Duc", "Khoa", "Bao", "Quang"),
        "nonbinary": ("An", "Khanh"),
        "last": ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vo", "Dang", "Bui"),
    },
    "korean": {
        "woman": ("Ji-yeon", "Soo-jin", "Min-ji", "Hana", "Eun-ji", "Grace", "Yuna"),
        "man": ("Min-ho", "Joon", "Sung-min", "Daniel", "Hyun-woo"),
        "nonbinary": ("Jae", "Ha-neul"),
        "last": ("Kim", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Han"),
    },
    "filipino": {
        "woman": ("Maricel", "Jocelyn", "Rowena", "Kristine", "Maria Clara", "Liza", "Joy"),
        "man": ("Rodel", "Jerome", "Paolo", "Ramon", "Marvin"),
        "nonbinary": ("Ali", "Jun"),
        "last": (
            "Santos",
            "Reyes",
            "Bautista",
            "Mendoza",
            "Dela Cruz",
            "Villanueva",
            "Aquino",
            "Pascual",
        ),
    },
    "south-asian": {
        "woman": ("Priya", "Ananya", "Kavita", "Meera", "Sunita", "Divya", "Farah", "Nisha"),
        "man": ("Arjun", "Rahul", "Sanjay", "Vikram", "Imran", "Rohan"),
        "nonbinary": ("Kiran", "Ashwin"),
        "last": (
            "Patel",
            "Sharma",
            "Iyer",
            "Reddy",
            "Khan",
            "Desai",
            "Kapoor",
            "Chaudhry",
            "Menon",
        ),
    },
    "arab": {
        "woman": ("Layla", "Noor", "Rania", "Yasmin", "Huda", "Mariam", "Dalia"),
        "man": ("Omar", "Karim", "Yusuf", "Tariq", "Sami", "Hassan"),
        "nonbinary": ("Nour", "Rami"),
        "last": ("Haddad", "Mansour", "Khalil", "Saleh", "Nasser", "Aziz", "Farah", "Hamdan"),
    },
    "polish": {
        "woman": ("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Ewa", "Marta"),
        "man": ("Piotr", "Tomasz", "Marek", "Krzysztof", "Paweł"),
        "nonbinary": ("Alex",),
        "last": (
            "Kowalski",
            "Nowak",
            "Wiśniewski",
            "Zielinski",
            "Lewandowski",
            "Kaminski",
            "Wojcik",
        ),
    },
    "haitian": {
        "woman": ("Nadège", "Fabiola", "Marie-Claire", "Guerline", "Roseline", "Islande"),
        "man": ("Jean-Pierre", "Frantz", "Wesner", "Réginald", "Emmanuel"),
        "nonbinary": ("Jessy",),
        "last": (
            "Pierre",
            "Jean-Baptiste",
            "Joseph",
            "Louis",
            "Charles",
            "Étienne",
            "Dorsainvil",
            "Célestin",
        ),
    },
    "russian": {
        "woman": ("Anastasia", "Irina", "Olga", "Svetlana", "Yelena", "Tatiana"),
        "man": ("Dmitri", "Sergei", "Alexei", "Mikhail", "Pavel"),
        "nonbinary": ("Sasha", "Zhenya"),
        "last": ("Ivanova", "Petrov", "Smirnova", "Volkov", "Sokolova", "Kuznetsov", "Orlova"),
    },
    "somali": {
        "woman": ("Hodan", "Amina", "Ifrah", "Sahra", "Ubah", "Fadumo"),
        "man": ("Abdirahman", "Mohamed", "Abdi", "Ahmed", "Hassan"),
        "nonbinary": ("Ayaan",),
        "last": ("Warsame", "Farah", "Abdi", "Hussein", "Jama", "Omar", "Ali", "Yusuf"),
    },
    "brazilian": {
        "woman": ("Fernanda", "Juliana", "Camila", "Larissa", "Renata", "Thaís"),
        "man": ("Thiago", "Rafael", "Gustavo", "Leonardo", "Marcelo"),
        "nonbinary": ("Cris", "Dani"),
        "last": ("Silva", "Oliveira", "Souza", "Costa", "Ferreira", "Almeida", "Carvalho"),
    },
}

# Language a heritage pool may bring, and how often the clinician offers sessions in it.
_HERITAGE_LANG: dict[str, tuple[tuple[str, float], ...]] = {
    "general": (("es", 0.09), ("fr", 0.03)),
    "hispanic": (("es", 0.8),),
    "chinese": (("zh", 0.55),),
    "vietnamese": (("vi", 0.6),),
    "korean": (("ko", 0.55),),
    "filipino": (("tl", 0.45),),
    "south-asian": (("hi", 0.45),),
    "arab": (("ar", 0.6), ("fr", 0.1)),
    "polish": (("pl", 0.55),),
    "haitian": (("ht", 0.75), ("fr", 0.5)),
    "russian": (("ru", 0.6),),
    "somali": (("so", 0.7), ("ar", 0.2)),
    "brazilian": (("pt", 0.75), ("es", 0.2)),
}
# Metros where a Spanish-only practice is believable.
_SPANISH_ONLY_METROS = frozenset({"miami", "los-angeles", "houston", "san-antonio", "phoenix"})

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "es": "Spanish", "zh": "Mandarin", "vi": "Vietnamese", "tl": "Tagalog",
    "ko": "Korean", "ar": "Arabic", "fr": "French", "ht": "Haitian Creole", "pt": "Portuguese",
    "ru": "Russian", "hi": "Hindi", "pl": "Polish", "so": "Somali",
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Vocabulary order (lists in records follow taxonomy order, so output is stable and readable)
# --------------------------------------------------------------------------------------------

ORDER: dict[str, tuple[str, ...]] = {
    "sees": ("couples", "co-parents", "families", "parent-adult-child", "individuals"),
    "specialty": ("co-parenting", "couples-communication", "trust-infidelity",
                  "separation-divorce", "blended-families", "estrangement",
                  "parent-child-conflict", "perinatal", "single-parenting", "domestic-violence",
                  "trauma", "grief", "substance-use", "anger-accountability", "crisis-support",
                  "lgbtq", "faith"),
    "modality": ("eft", "gottman", "ibct", "structural-family", "bowen", "narrative",
                 "solution-focused", "discernment", "co-parenting-counseling",
                 "parenting-coordination", "family-mediation", "cbt", "emdr", "trauma-focused"),
    "training": ("gottman-level-1", "gottman-level-2", "gottman-level-3", "gottman-certified",
                 "iceeft-certified", "eft-externship", "discernment-trained",
                 "parenting-coordinator", "family-mediator", "dv-advocacy",
                 "perinatal-certificate"),
    "format": ("in-person", "video", "phone"),
    "insurance": ("aetna", "blue-cross", "cigna", "optum", "humana", "kaiser", "magellan",
                  "medicaid", "medicare", "tricare"),
    "language": ("en", "es", "zh", "vi", "tl", "ko", "ar", "fr", "ht", "pt", "ru", "hi", "pl",
                 "so"),
}  # fmt: skip
_RANK = {facet: {slug: i for i, slug in enumerate(slugs)} for facet, slugs in ORDER.items()}

COUPLES_MODALITIES = ("eft", "gottman", "ibct", "discernment")
COPARENT_MODALITIES = ("co-parenting-counseling", "parenting-coordination", "family-mediation")


def _ordered(facet: str, values: list[str] | set[str]) -> list[str]:
    rank = _RANK[facet]
    return sorted(set(values), key=rank.__getitem__)


def _states_ordered(values: list[str] | set[str]) -> list[str]:
    return sorted(set(values))


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@functools.lru_cache(maxsize=256)
def _cumulative(pairs: tuple[tuple[str, int | float], ...]) -> tuple[list[str], list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


def _pick_weighted(rng: random.Random, pairs: tuple[tuple[str, int | float], ...]) -> str:
    values, cum = _cumulative(pairs)
    return values[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(values) - 1)]


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                 "seventeen", "eighteen", "nineteen", "twenty")  # fmt: skip


def _num(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f" and {items[-1]}"


# --------------------------------------------------------------------------------------------
# Clinical profiles ("roles"): who a clinician sees, what they treat, how
# --------------------------------------------------------------------------------------------

ROLE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("couples", 24), ("coparent", 14), ("family", 13), ("dv", 9), ("perinatal", 7),
    ("estrangement", 7), ("discernment", 6), ("accountability", 4), ("trauma-grief", 8),
    ("lgbtq-couples", 4), ("blended", 4),
)  # fmt: skip
# Every metro gets one of each of these first, so each has the profiles users look for.
ROLE_ROTATION: tuple[str, ...] = (
    "couples",
    "coparent",
    "dv",
    "family",
    "perinatal",
    "estrangement",
    "discernment",
    "couples",
    "coparent",
)

_LICENCE_BY_ROLE: dict[str, tuple[tuple[str, int], ...]] = {
    "couples": (("lmft", 55), ("lpc", 15), ("lcsw", 15), ("psyd", 8), ("phd", 7)),
    "lgbtq-couples": (("lmft", 45), ("lcsw", 25), ("lpc", 20), ("psyd", 10)),
    "discernment": (("lmft", 60), ("lpc", 15), ("lcsw", 10), ("phd", 10), ("psyd", 5)),
    "coparent": (("lmft", 30), ("lcsw", 25), ("lpc", 20), ("phd", 15), ("psyd", 10)),
    "blended": (("lmft", 50), ("lcsw", 25), ("lpc", 25)),
    "family": (("lmft", 45), ("lcsw", 30), ("lpc", 15), ("psyd", 10)),
    "estrangement": (("lmft", 40), ("lcsw", 25), ("lpc", 20), ("phd", 10), ("psyd", 5)),
    "dv": (("lcsw", 50), ("lpc", 25), ("lmft", 15), ("psyd", 10)),
    "perinatal": (("lcsw", 35), ("lmft", 30), ("lpc", 20), ("psyd", 10), ("phd", 5)),
    "accountability": (("lcsw", 40), ("lpc", 35), ("lmft", 15), ("psyd", 10)),
    "trauma-grief": (("lcsw", 35), ("lpc", 30), ("psyd", 15), ("phd", 10), ("lmft", 10)),
    "crisis": (("lcsw", 45), ("lpc", 30), ("psyd", 15), ("lmft", 10)),
}


@dataclass
class _Clinical:
    sees: set[str]
    specialties: list[str]  # first = primary, drives the bio opener
    modalities: set[str]
    trainings: set[str]


def _sample(rng: random.Random, pool: Sequence[str], k_min: int, k_max: int) -> list[str]:
    k = rng.randint(k_min, min(k_max, len(pool)))
    return rng.sample(list(pool), k)


def _clinical(rng: random.Random, role: str) -> _Clinical:
    sees: set[str]
    if role in ("couples", "lgbtq-couples"):
        primary = (
            "lgbtq"
            if role == "lgbtq-couples"
            else _pick_weighted(
                rng,
                (
                    ("couples-communication", 5),
                    ("trust-infidelity", 3),
                    ("separation-divorce", 1),
                    ("faith", 1),
                ),
            )
        )
        extra = _sample(
            rng,
            (
                "couples-communication",
                "trust-infidelity",
                "separation-divorce",
                "grief",
                "substance-use",
                "trauma",
                "lgbtq",
                "blended-families",
                "faith",
                "perinatal",
            ),
            1,
            3,
        )
        sees = {"couples"} | ({"individuals"} if rng.random() < 0.5 else set())
        mods = {_pick_weighted(rng, (("eft", 4), ("gottman", 4), ("ibct", 1)))}
        if rng.random() < 0.35:
            mods.add(rng.choice(("eft", "gottman", "ibct", "narrative", "cbt", "discernment")))
        specs = [primary, *extra]
    elif role == "discernment":
        specs = [
            "separation-divorce",
            *_sample(
                rng, ("trust-infidelity", "couples-communication", "co-parenting", "grief"), 1, 2
            ),
        ]
        sees = {"couples", "individuals"} if rng.random() < 0.6 else {"couples"}
        mods = {"discernment", rng.choice(("eft", "gottman", "ibct", "solution-focused"))}
    elif role == "coparent":
        specs = [
            "co-parenting",
            *_sample(
                rng,
                (
                    "separation-divorce",
                    "blended-families",
                    "single-parenting",
                    "parent-child-conflict",
                    "domestic-violence",
                    "anger-accountability",
                ),
                1,
                3,
            ),
        ]
        sees = {"co-parents"} | set(_sample(rng, ("families", "individuals"), 0, 2))
        mods = {"co-parenting-counseling"}
        if rng.random() < 0.4:
            mods.add("parenting-coordination")
        if rng.random() < 0.35:
            mods.add("family-mediation")
        if rng.random() < 0.5:
            mods.add(rng.choice(("solution-focused", "narrative", "cbt", "structural-family")))
    elif role == "blended":
        specs = [
            "blended-families",
            *_sample(
                rng,
                (
                    "co-parenting",
                    "parent-child-conflict",
                    "couples-communication",
                    "separation-divorce",
                ),
                1,
                2,
            ),
        ]
        sees = {"couples", "families"} | ({"co-parents"} if "co-parenting" in specs else set())
        mods = {rng.choice(("structural-family", "gottman", "narrative", "bowen"))}
        if "co-parenting" in specs:
            mods.add("co-parenting-counseling")
    elif role == "family":
        specs = [
            rng.choice(
                (
                    "parent-child-conflict",
                    "parent-child-conflict",
                    "blended-families",
                    "substance-use",
                    "grief",
                )
            ),
            *_sample(
                rng,
                (
                    "parent-child-conflict",
                    "estrangement",
                    "grief",
                    "substance-use",
                    "single-parenting",
                    "crisis-support",
                    "trauma",
                ),
                1,
                3,
            ),
        ]
        sees = {"families"} | set(_sample(rng, ("parent-adult-child", "individuals"), 0, 2))
        mods = set(
            _sample(
                rng, ("structural-family", "bowen", "narrative", "solution-focused", "cbt"), 1, 3
            )
        )
    elif role == "estrangement":
        specs = [
            "estrangement",
            *_sample(
                rng, ("parent-child-conflict", "grief", "trauma", "blended-families", "faith"), 1, 2
            ),
        ]
        sees = {"parent-adult-child"} | set(_sample(rng, ("families", "individuals"), 1, 2))
        mods = set(_sample(rng, ("bowen", "narrative", "eft", "solution-focused"), 1, 2))
        if "eft" in mods:
            sees.add("couples")
    elif role == "dv":
        specs = [
            "domestic-violence",
            "trauma",
            *_sample(
                rng,
                ("co-parenting", "crisis-support", "grief", "substance-use", "separation-divorce"),
                0,
                2,
            ),
        ]
        sees = {"individuals"} | ({"families"} if rng.random() < 0.3 else set())
        if "co-parenting" in specs:
            sees.add("co-parents")
        mods = set(_sample(rng, ("trauma-focused", "emdr", "cbt", "narrative"), 1, 3))
    elif role == "perinatal":
        specs = [
            "perinatal",
            *_sample(
                rng, ("couples-communication", "grief", "trauma", "single-parenting", "lgbtq"), 1, 2
            ),
        ]
        sees = {"couples", "individuals"}
        mods = {rng.choice(("gottman", "eft", "cbt", "cbt"))}
    elif role == "accountability":
        specs = [
            "anger-accountability",
            *_sample(
                rng,
                ("domestic-violence", "substance-use", "couples-communication", "co-parenting"),
                1,
                2,
            ),
        ]
        sees = {"individuals"} | ({"couples"} if rng.random() < 0.3 else set())
        mods = set(_sample(rng, ("cbt", "narrative", "solution-focused"), 1, 2))
    elif role == "crisis":
        # individual support after suicidal thoughts or a crisis; never joint sessions
        specs = [
            "crisis-support",
            *_sample(rng, ("trauma", "grief", "domestic-violence", "perinatal"), 1, 2),
        ]
        sees = {"individuals"}
        mods = set(_sample(rng, ("cbt", "trauma-focused", "solution-focused", "emdr"), 1, 2))
    else:  # trauma-grief
        specs = [
            rng.choice(("trauma", "grief", "crisis-support")),
            *_sample(
                rng,
                (
                    "trauma",
                    "grief",
                    "substance-use",
                    "crisis-support",
                    "parent-child-conflict",
                    "faith",
                ),
                1,
                2,
            ),
        ]
        sees = {"individuals"} | set(_sample(rng, ("families", "couples"), 0, 1))
        mods = set(_sample(rng, ("emdr", "trauma-focused", "cbt", "narrative"), 1, 3))
        if "couples" in sees:
            mods.add("eft")

    # unique, keep the primary first
    seen: list[str] = []
    for s in specs:
        if s not in seen:
            seen.append(s)
    trainings: set[str] = set()
    if "gottman" in mods:
        level = _pick_weighted(rng, (("1", 35), ("2", 30), ("3", 20), ("c", 15)))
        trainings.add("gottman-level-1")
        if level in ("2", "3", "c"):
            trainings.add("gottman-level-2")
        if level in ("3", "c"):
            trainings.add("gottman-level-3")
        if level == "c":
            trainings.add("gottman-certified")
    if "eft" in mods:
        trainings.add("eft-externship")
        if rng.random() < 0.3:
            trainings.add("iceeft-certified")
    if "discernment" in mods:
        trainings.add("discernment-trained")
    if "parenting-coordination" in mods:
        trainings.add("parenting-coordinator")
    if "family-mediation" in mods:
        trainings.add("family-mediator")
    if "domestic-violence" in seen and rng.random() < 0.75:
        trainings.add("dv-advocacy")
    if "perinatal" in seen and rng.random() < 0.8:
        trainings.add("perinatal-certificate")
    return _Clinical(sees, seen, mods, trainings)


def _enforce_coherence(c: _Clinical) -> None:
    """Make the clinical profile internally consistent (the tests check these rules)."""
    if c.modalities & set(COUPLES_MODALITIES):
        c.sees.add("couples")
    if c.modalities & set(COPARENT_MODALITIES) or "co-parenting" in c.specialties:
        c.sees.add("co-parents")
    if "structural-family" in c.modalities:
        c.sees.add("families")
    if "estrangement" in c.specialties:
        c.sees.add("parent-adult-child")
    if "perinatal-certificate" in c.trainings and "perinatal" not in c.specialties:
        c.specialties.append("perinatal")


# --------------------------------------------------------------------------------------------
# Bios: composed from many fragments chosen by the listing's own attributes
# --------------------------------------------------------------------------------------------

_OPENERS: dict[str, tuple[str, ...]] = {
    "co-parenting": (
        "Co-parenting after a hard separation is a long project, and I help parents in {city} "
        "build an arrangement both households can live with.",
        "Most of the parents I see in {city} are no longer a couple but still share a calendar, "
        "a school run and a great deal of history.",
        "If every handover turns into an argument, co-parenting counseling can give the two of "
        "you a structure, a script and fewer surprises.",
        "I work with separated parents who want their children out of the middle, even when the "
        "two adults can barely stay on a call together.",
        "High-conflict separations are my focus: parents who talk only through lawyers, text "
        "threads that spiral, and children who end up carrying messages.",
        "Parents in {city} usually come to me after the custody order is signed and the hard part, "
        "actually sharing the children, has only just begun.",
        "Co-parents across {city} see me when the schedule is settled on paper but every school "
        "event, birthday and new partner reopens the fight.",
        "I help {city} parents who have separated learn to run their children's lives together "
        "like colleagues, even if they will never be friends.",
        "When two homes disagree about bedtimes, phones and new partners, I give parents a "
        "neutral place to settle it without the children in the middle.",
        "Separated parents often arrive convinced the other one is the whole problem; I help "
        "both of them change the part they control.",
    ),
    "couples-communication": (
        "I help couples who love each other but keep having the same fight, usually about "
        "something other than the thing they are fighting about.",
        "Many couples find me after years of drifting into roommate mode, wanting to talk again "
        "without it turning into a standoff.",
        "Couples usually reach me when one partner says 'we need help' and the other agrees, "
        "somewhat reluctantly.",
        "My work with couples centres on how you talk when it matters most: under stress, in "
        "conflict, and when one of you goes quiet.",
        "Busy {city} couples often tell me they only talk about logistics any more; that is a "
        "very good place to start.",
        "I see couples at every stage, from two years in to thirty, who want to stop hurting "
        "each other in the same familiar ways.",
    ),
    "trust-infidelity": (
        "Recovering from an affair is possible, and I help couples decide whether and how to "
        "rebuild trust after a betrayal.",
        "Couples often reach me in the first weeks after an affair comes to light, when "
        "everything feels urgent and nothing feels clear.",
        "I specialise in affair recovery and other breaches of trust, including hidden debts "
        "and secret online relationships.",
        "After infidelity, both partners need a place to be heard, and I keep the pace slow "
        "enough for that to happen.",
    ),
    "separation-divorce": (
        "Separation rarely happens all at once, and I help people through the months of "
        "deciding, telling the children and rearranging a life.",
        "I work with people in {city} who are separating or divorcing and want the process to "
        "cost their family less.",
        "Whether you are thinking about divorce or already living apart, I offer a steady place "
        "to sort out what comes next.",
        "Some couples come to me to save the marriage and some to end it well; both are "
        "legitimate goals here.",
        "Divorce in {city} can feel like a second job; I help people keep their footing and "
        "their dignity while it happens.",
        "I see individuals and couples at the point of separating, when decisions pile up faster "
        "than anyone can make them well.",
    ),
    "blended-families": (
        "Stepfamilies take longer to come together than anyone expects, and I help {city} "
        "families through the awkward middle years.",
        "I work with blended families: new partners, step-siblings, two households with "
        "different rules and a lot of divided loyalty.",
        "Becoming a stepparent is one of the hardest jobs nobody trains you for, and that is "
        "most of what I help with.",
    ),
    "estrangement": (
        "I work with parents and adult children who have stopped speaking, or who speak only at "
        "holidays and regret it afterwards.",
        "Estrangement between parents and adult children is lonelier than people admit, and I "
        "help both generations learn whether repair is possible.",
        "Many of my clients are parents whose adult son or daughter has cut contact, and adult "
        "children who needed that distance.",
        "When a grown child and a parent no longer know how to talk, I help each side "
        "understand what the silence is protecting.",
    ),
    "parent-child-conflict": (
        "I help parents and children, often mothers and teenage daughters, who love each other "
        "and cannot be in a room without fighting.",
        "When a parent–child relationship has gone sour, I work with the family to slow the "
        "arguments down and hear what sits underneath them.",
        "Families in {city} bring me the door-slamming years: screens, curfews, grades, and the "
        "feeling that nobody listens.",
        "I specialise in parent–child conflict, from toddlers who rule the house to adult "
        "daughters and their mothers.",
    ),
    "perinatal": (
        "Pregnancy, birth and the first year with a baby strain even solid couples, and I "
        "focus on exactly that season.",
        "I support expecting and new parents through sleep deprivation, birth trauma, "
        "postpartum mood changes and the sudden shift in who does what.",
        "New parents in {city} often tell me they barely recognise their relationship since the "
        "baby arrived; that is normal, and it is workable.",
        "My practice is built around the perinatal years, including infertility, pregnancy loss "
        "and the early months of parenting.",
        "I help {city} couples who are expecting, or who just brought a baby home, keep talking "
        "to each other and not only about feeds and naps.",
        "Postpartum depression and anxiety affect partners as well as birthing parents, and I "
        "work with both.",
    ),
    "domestic-violence": (
        "I work with survivors of domestic violence, at their pace, with safety first and "
        "healing after.",
        "My practice centres on people who have lived with coercive control or abuse in a "
        "relationship, including those still deciding what to do.",
        "If a partner has hurt, threatened or controlled you, I offer confidential individual "
        "sessions focused on your safety and your own choices.",
        "Survivors of intimate partner abuse in {city} come to me for steady, practical support, "
        "whether they have left or not.",
        "Leaving an abusive relationship is a process, not a single day, and I stay with clients "
        "through every part of it.",
        "I help survivors of domestic abuse make sense of what happened, rebuild trust in their "
        "own judgement and plan for safe contact around the children.",
    ),
    "trauma": (
        "I treat trauma, including childhood trauma that surfaces years later in how we fight, "
        "trust and parent.",
        "Much of my work is with adults who carry old trauma into their relationships and their "
        "families.",
        "Trauma can make a family feel unsafe even when nothing is happening; I help people feel "
        "settled enough to reconnect.",
    ),
    "grief": (
        "I help families grieving a death, a pregnancy loss, a diagnosis or the slow end of a "
        "relationship.",
        "Grief reshapes a family, and I work with people whose losses have changed how they "
        "relate to one another.",
        "After a loss, family members often grieve on different timetables; I help them stay "
        "connected while they do.",
    ),
    "substance-use": (
        "I work with families affected by a loved one's drinking or drug use, whether the "
        "person is in recovery or not.",
        "Addiction pulls the whole family into its orbit, and I help partners and parents find "
        "their footing again.",
        "Families in {city} reach me when a parent, partner or adult child is using and "
        "everyone else is exhausted.",
    ),
    "anger-accountability": (
        "I do accountability-focused work with people who have hurt those close to them and "
        "want to stop.",
        "If your anger has frightened your partner or children, I offer structured, "
        "non-shaming work to change that pattern for good.",
        "Men and women in {city} come to me when they are ready to take responsibility for "
        "harmful behaviour at home.",
    ),
    "crisis-support": (
        "I support families after a suicide attempt, a hospitalisation or an acute crisis, "
        "when everyone is frightened and unsure what to say.",
        "Crisis work is a large part of my practice, especially in the weeks after a loved one "
        "comes home from the hospital.",
    ),
    "lgbtq": (
        "I am an affirming therapist for LGBTQ+ couples and families, including chosen family "
        "and people navigating coming out to parents.",
        "Queer and trans couples see me for the same reasons other couples do, and nobody has to "
        "educate me first.",
        "I work with LGBTQ+ partners in {city} on communication, non-traditional relationship "
        "structures and family-of-origin stress.",
    ),
    "faith": (
        "For clients who ask for it, I integrate faith into counseling; for those who don't, it "
        "stays out of the room.",
        "I offer faith-integrated counseling on request, and I work just as readily with "
        "couples of mixed faith or none.",
        "Couples whose faith matters to them, including interfaith couples, often choose me "
        "because I can hold both the spiritual and the clinical side.",
    ),
    "single-parenting": (
        "Single parents carry a great deal alone, and I help with the stress, the logistics and "
        "the relationship with the other household.",
    ),
}

_BACKGROUND: dict[str, tuple[str, ...]] = {
    "coparent": (
        "Before private practice I spent {n} years at a {county} family court services office, "
        "writing parenting plans with families in the thick of it.",
        "For {n} years I ran parenting-after-separation groups at a community center in {hood}.",
        "I worked {n} years as a custody evaluator's associate before deciding I would rather "
        "help families than assess them.",
        "My early career was in child welfare in {county}, which is why I keep children's voices "
        "at the centre of co-parenting work.",
        "I have helped separating families in {city} for {years} years, first in a court clinic "
        "and now in private practice.",
    ),
    "dv": (
        "I spent {n} years as a counselor at a domestic violence shelter serving {hood} before "
        "opening this practice.",
        "My background is in hospital-based violence intervention in {city}, where I worked for "
        "{n} years.",
        "I have been a domestic violence advocate and clinician in {county} for {years} years.",
        "For {n} years I answered a crisis line and ran support groups for survivors in {hood}.",
        "Before private practice I was a legal advocate at the {county} courthouse, helping "
        "survivors through protective-order hearings.",
    ),
    "family": (
        "I worked for {n} years in school-based family therapy in {city} before opening my own "
        "practice.",
        "My training began on a {county} in-home family therapy team, which taught me to work "
        "with whoever is in the room.",
        "I spent {n} years at a community mental health center in {hood}, mostly with families "
        "of teenagers.",
        "Before private practice I worked {n} years in a pediatric hospital, supporting parents "
        "through their children's illnesses.",
    ),
    "couples": (
        "I have been seeing couples in {city} for {years} years.",
        "Before focusing on couples I spent {n} years in college counseling, which taught me how "
        "early relationship patterns form.",
        "I came to couples therapy after {n} years as a hospital social worker, watching illness "
        "strain even strong marriages.",
        "I trained at a couples clinic in {hood} and have kept a few reduced-fee hours for "
        "neighbourhood couples ever since.",
        "After {n} years as an employee-assistance counselor I opened a couples practice near "
        "{hood}.",
    ),
    "perinatal": (
        "I worked for {n} years on the perinatal mental health team of a {city} hospital.",
        "Before private practice I led new-parent support groups in {hood} for {n} years.",
        "I was a labor and delivery nurse for {n} years before retraining as a therapist.",
    ),
    "estrangement": (
        "I have spent {years} years helping families after long silences, and I have watched many "
        "reconnect in new forms.",
        "My own family went through a long estrangement, which is part of why I do this work "
        "with such care.",
        "For {n} years I facilitated a support group in {hood} for parents of estranged adult "
        "children.",
    ),
    "accountability": (
        "I facilitated a state-certified partner abuse intervention program in {county} for "
        "{n} years.",
        "I spent {n} years in community corrections in {city}, working with people court-ordered "
        "into anger programs.",
    ),
    "trauma-grief": (
        "I worked {n} years at a trauma recovery center in {hood} before opening my practice.",
        "I was a hospice social worker in {county} for {n} years.",
        "My background is in emergency psychiatry in {city}, where I worked for {n} years.",
    ),
    "generic": (
        "I have been licensed for {years} years and still find this work humbling.",
        "I started my career at a community clinic in {hood} and have kept one day a week for "
        "community clients ever since.",
        "I have practised in {city} for {years} years, the last {n} in my own small office.",
        "Before becoming a therapist I taught middle school for {n} years, which shows in how "
        "practical my sessions are.",
        "I came to this field after {n} years in the military and a long family adjustment of my "
        "own.",
        "I completed my clinical training at a {county} family service agency and stayed on for "
        "{n} years.",
    ),
}
_BACKGROUND["discernment"] = _BACKGROUND["couples"]
_BACKGROUND["lgbtq-couples"] = _BACKGROUND["couples"]
_BACKGROUND["blended"] = _BACKGROUND["family"]

_METHOD: dict[str, tuple[str, ...]] = {
    "gottman-certified": (
        "As a Certified Gottman Therapist I start with a full assessment, so you both know "
        "where your friendship, conflict and shared meaning stand.",
        "I am a Certified Gottman Therapist and use the Gottman assessment to choose a few "
        "concrete skills to practise between sessions.",
    ),
    "gottman": (
        "I use the Gottman Method (Level {gottman_level} trained), starting with a thorough "
        "assessment so we both know what we are working on.",
        "My approach draws on Gottman Method training through Level {gottman_level}: practical "
        "tools for conflict, repair and friendship.",
        "Gottman-informed sessions with me are structured, with exercises to try at home "
        "between meetings.",
        "Level {gottman_level} Gottman training gives me a clear map for de-escalating fights and "
        "rebuilding fondness.",
    ),
    "iceeft-certified": (
        "I am an ICEEFT-certified Emotionally Focused therapist; we map the cycle you are stuck "
        "in and practise reaching for each other differently.",
        "As an ICEEFT-certified EFT therapist, I help partners slow down the moment when one "
        "pursues and the other withdraws.",
    ),
    "eft": (
        "I work from Emotionally Focused Therapy, which helps partners see the cycle they are "
        "caught in and respond to each other differently.",
        "My approach is grounded in EFT: underneath most fights is a question about whether you "
        "can count on each other.",
        "EFT shapes how I work, so we spend less time on who is right and more on what each of "
        "you needs.",
        "Emotionally Focused Therapy guides my sessions; in {city} I have seen it help couples "
        "who had nearly given up.",
        "I trained in EFT after {n} years of couples work because it gave me a way to slow the "
        "worst moments down.",
    ),
    "ibct": (
        "My approach draws on Integrative Behavioral Couple Therapy, balancing acceptance of "
        "differences with concrete change.",
        "I use IBCT, which treats some differences as things to live with and others as things "
        "to change.",
    ),
    "discernment": (
        "For couples where one partner is leaning out, I offer discernment counseling: a short, "
        "structured process for deciding whether to try therapy, separate, or wait.",
        "I am trained in discernment counseling, which helps mixed-agenda couples make a clear "
        "decision in one to five sessions.",
        "When one of you wants to repair things and the other isn't sure, discernment "
        "counseling lets each person think clearly before deciding.",
    ),
    "co-parenting-counseling": (
        "Co-parenting sessions with me are practical: handover routines, a shared calendar, rules "
        "for messages and what to tell the children.",
        "In co-parenting counseling we work on the business of raising children across two homes, "
        "not on the old relationship.",
        "Together we draft agreements about schedules, school, holidays and new partners, and "
        "revisit them as the children grow.",
    ),
    "parenting-coordination": (
        "As a trained parenting coordinator I also work with court-involved families to settle "
        "day-to-day disputes without going back to a judge.",
        "I am a trained parenting coordinator, so families with a court order can resolve "
        "everyday disagreements quickly and in writing.",
    ),
    "family-mediation": (
        "I am also a trained family mediator, so parenting plans can be drafted in the same room "
        "where the conflict is worked through.",
        "Mediation training lets me help parents reach written agreements on schedules and "
        "decisions, outside of court.",
    ),
    "structural-family": (
        "I use structural family therapy, which looks at who sides with whom and who is left "
        "holding too much responsibility.",
        "My family work is structural: we notice the alliances and rules in your home and change "
        "the ones that aren't working.",
    ),
    "bowen": (
        "Bowen family systems theory shapes my work: we look at patterns across generations, "
        "not just the current standoff.",
        "I draw on Bowen theory, helping each person stay calm and clear without cutting off "
        "from the family.",
    ),
    "narrative": (
        "Narrative therapy helps families separate the problem from the people, which makes hard "
        "conversations less personal.",
        "I use narrative methods to help families notice the stories they tell about each other, "
        "and to write better ones.",
        "With narrative therapy we give the conflict a name of its own, so the family can team "
        "up against it instead of against each other.",
    ),
    "solution-focused": (
        "I lean on solution-focused methods: short, practical, and built on what already works "
        "for you.",
        "Sessions are solution-focused; we look for the times things go a little better and do "
        "more of that.",
    ),
    "cbt": (
        "CBT tools help with the racing thoughts and reactive habits that make conflict worse.",
        "I use cognitive behavioral therapy to interrupt escalating patterns, with simple "
        "practice between sessions.",
    ),
    "emdr": (
        "I am trained in EMDR, which can loosen the grip of traumatic memories when talking "
        "alone hasn't helped.",
        "EMDR is part of my toolkit for survivors whose bodies still react to what happened.",
    ),
    "trauma-focused": (
        "My work is trauma-focused and paced by you; nothing is pushed before you are ready.",
        "Trauma-focused sessions start with stabilisation and safety planning, then move toward "
        "processing only when you choose.",
    ),
}

_SCREENING = (
    "No {party} is ever asked to discuss safety in front of the other; we talk alone first.",
    "I start with a separate conversation with each {party}, because some things can't be said "
    "with the other person present.",
    "Joint sessions begin only after I have screened each {party} individually.",
    "My intake includes private time with each {party} and a standard safety screen.",
    "Before any joint session I meet each {party} alone, so each person can speak freely about "
    "safety.",
    "Every {party} has an individual screening conversation with me before we meet together.",
    "I screen each {party} separately first; joint sessions are not right for every situation, "
    "and I will say so.",
    "Individual intake calls with each {party} come first, including questions about safety at "
    "home.",
)
_SLIDING = (
    "I keep a sliding scale down to ${floor} a session for families who need it.",
    "Fees slide to ${floor} per session when money is tight; just ask.",
    "A limited number of sliding-scale spots start at ${floor}.",
    "If the full fee is out of reach, my sliding scale goes as low as ${floor}.",
)
_LANGUAGE = (
    "Sessions are available in {langs}.",
    "I offer sessions in {langs}, and families often mix languages in the room.",
    "I work in {langs}.",
    "Clients are welcome to use {langs} in session.",
)
_TELE_ONLY = (
    "My practice is entirely online; I see clients by video in {states}.",
    "I work only by video and phone, so clients in {states} can meet me from home.",
    "All sessions are remote, which suits clients across {states} who live far from a specialist.",
    "Sessions are by secure video, available to residents of {states}.",
)
_HYBRID = (
    "I see clients at my {city} office and by video anywhere in {states}.",
    "Sessions are in person in {city} or by video for clients elsewhere in {states}.",
)
_HOURS_EVENING = (
    "Evening appointments are available for working parents.",
    "I keep two late evenings a week for clients who can't leave work.",
)
_HOURS_WEEKEND = (
    "Weekend sessions are available, which helps co-parents with different schedules.",
    "Saturday mornings are open for couples who can't both get away on weekdays.",
)
_HOURS_BOTH = (
    "I keep evening and weekend hours for parents who can't leave work.",
    "Evenings and Saturdays are available, since family life rarely fits office hours.",
)
_NO_INSURANCE = (
    "I am out of network and provide superbills for reimbursement.",
    "I don't bill insurance directly, but I give superbills on request.",
    "Sessions are ${fee_min} and I am out of network; superbills are provided monthly.",
    "I am a private-pay practice at ${fee_min} to ${fee_max} a session, with superbills for "
    "out-of-network claims.",
)
_CONSULT = (
    "A free {reply_min}-minute phone consultation helps us both decide whether I am the right fit.",
    "The first {reply_min}-minute call is free, so you can ask anything before committing.",
    "I offer a short free consultation by phone before we book a first session.",
)
_CHILDREN = (
    "I see children from age {cmin} to {cmax} in family sessions.",
    "Children aged {cmin} to {cmax} can join sessions when it helps.",
)
_CLOSINGS = (
    "My office near {hood} is a short walk from public transit.",
    "I sing in a community choir in {city}, which keeps me humble.",
    "Many clients reach me through their pediatrician or family lawyer, and I am glad to talk "
    "with either.",
    "I ask a lot of questions in a first session, and you are welcome to ask me just as many.",
    "Progress is rarely a straight line, and I won't pretend otherwise.",
    "Families often tell me the first session was easier than they feared.",
    "I check in on goals every few sessions so we both know whether this is working.",
    "Outside work I coach a youth soccer team in {hood}.",
    "I am slow to give advice and quick to ask what you have already tried.",
    "Expect some homework, never the kind that makes you feel graded.",
    "I have practised long enough to know that {years} years of experience still leaves room "
    "to be surprised.",
    "Outside the office you will find me on the trails near {city} or at my kids' soccer games.",
    "I am a parent of two, and I bring that humility into every session.",
    "I grew up in {hood} and still live nearby.",
    "I believe most {city} families can get unstuck with the right structure and a little "
    "patience.",
    "First sessions are mostly about listening, and you decide whether to come back.",
    "I will tell you honestly if someone else would be a better fit.",
    "I am happy to coordinate with your lawyer, mediator or your children's therapist when you "
    "ask me to.",
    "I am a {city} native who moved away for training and came home to practise.",
    "My goal is for you to need me less, not more.",
    "Clients say my style is warm, direct and occasionally funny.",
    "I answer every inquiry personally, usually within {reply} business days.",
    "Between sessions I write short summaries so nobody has to remember everything.",
    "I have lived in {city} for {n} years and know how hard its schedules are on families.",
    "I keep my caseload small so that I can respond between sessions when things flare up.",
)


_BACKGROUND_REMOTE = (
    "I practised in community mental health in {city} for {n} years before moving my practice "
    "online.",
    "After {n} years in a rural {city} clinic, I went fully remote so that distance stops being "
    "the reason families go without help.",
    "I have been licensed for {years} years and have worked by video since families in small "
    "towns kept asking for it.",
    "I spent {n} years in a group practice before building a telehealth practice for clients "
    "across {city}.",
    "Many of my clients live hours from the nearest specialist; working online for the past {n} "
    "years has let me reach them.",
    "I trained in family therapy in {city} and have spent the last {n} years seeing clients "
    "online from a quiet home office.",
)
_CLOSINGS_REMOTE = (
    *(
        c
        for c in _CLOSINGS
        if "{hood}" not in c
        and "near {city}" not in c
        and "{city} native" not in c
        and "in {city} for" not in c
    ),
    "Video sessions mean no commute and no babysitter, which matters for busy parents.",
    "All you need is a private room and a steady internet connection.",
)


class _BioComposer:
    """Chooses sentence templates, preferring the least-used one in each pool, so that a few
    hundred bios use the whole library evenly (deterministic: ties are broken by the rng)."""

    def __init__(self, rng: random.Random, balance: bool) -> None:
        self.rng = rng
        self.balance = balance
        self.used: Counter[str] = Counter()

    def choose(self, pool: Sequence[str]) -> str:
        if not self.balance:
            return self.rng.choice(pool)
        low = min(self.used[t] for t in pool)
        candidates = [t for t in pool if self.used[t] == low]
        choice = self.rng.choice(candidates)
        self.used[choice] += 1
        return choice

    def compose(self, rec: dict[str, Any], role: str, ctx: dict[str, Any]) -> str:
        rng = self.rng
        primary = rec["specialties"][0]
        parts: list[str] = [self.choose(_OPENERS[primary])]
        optional: list[tuple[int, str]] = []  # (slot order, template)

        if rec["office"] is None:
            background = _BACKGROUND_REMOTE
        else:
            background = _BACKGROUND.get(role, _BACKGROUND["generic"])
            if rng.random() < 0.3:
                background = _BACKGROUND["generic"]
        optional.append((1, self.choose(background)))

        method_keys = [
            t for t in ("gottman-certified", "iceeft-certified") if t in rec["trainings"]
        ]
        method_keys += [m for m in rec["modalities"] if m in _METHOD]
        if method_keys:
            key = method_keys[0] if rng.random() < 0.6 else rng.choice(method_keys)
            optional.append((2, self.choose(_METHOD[key])))

        practical: list[str] = []
        if rec["screens_individually"] and ({"couples", "co-parents"} & set(rec["sees"])):
            practical.append(self.choose(_SCREENING))
        others = [lang for lang in rec["languages"] if lang != "en"]
        if others:
            practical.append(self.choose(_LANGUAGE))
        if rec["sliding_scale"]:
            practical.append(self.choose(_SLIDING))
        if rec["office"] is None:
            practical.append(self.choose(_TELE_ONLY))
        elif "video" in rec["formats"] and rng.random() < 0.4:
            practical.append(self.choose(_HYBRID))
        if (rec["evenings"] or rec["weekends"]) and rng.random() < 0.3:
            hours = (
                _HOURS_BOTH
                if rec["evenings"] and rec["weekends"]
                else _HOURS_EVENING
                if rec["evenings"]
                else _HOURS_WEEKEND
            )
            practical.append(self.choose(hours))
        if not rec["insurance"] and rec["superbills"] and rng.random() < 0.3:
            practical.append(self.choose(_NO_INSURANCE))
        if rec["children_age_min"] is not None and rng.random() < 0.3:
            practical.append(self.choose(_CHILDREN))
        if rec["free_consult"] and rng.random() < 0.25:
            practical.append(self.choose(_CONSULT))
        if practical:
            rng.shuffle(practical)
            # language and telehealth facts are worth keeping; others compete for space
            optional.append((3, practical[0]))
            if len(practical) > 1:
                optional.append((4, practical[1]))
        optional.append((5, self.choose(_CLOSINGS if rec["office"] else _CLOSINGS_REMOTE)))

        k = rng.choice((1, 2, 2, 3, 3))
        chosen = sorted(rng.sample(optional, min(k, len(optional))))
        parts.extend(t for _, t in chosen)
        text = " ".join(parts)
        return text.format(**ctx)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Office:
    zip: str
    city: str
    state: str
    area: str
    metro: Metro | None
    slug_place: str


class _Generator:
    def __init__(self, seed: int, synthetic: bool) -> None:
        self.rng = random.Random(seed)
        self.synthetic = synthetic
        self.bios = _BioComposer(self.rng, balance=not synthetic)
        self.slugs: set[str] = set()
        self.phones: set[str] = set()
        self.seen_bios: set[str] = set()
        self.index = 0

    # ---- people ----
    def _person(self, heritage: str) -> tuple[str, str, str, str, str]:
        rng = self.rng
        gender = _pick_weighted(rng, (("woman", 66), ("man", 28), ("nonbinary", 6)))
        pools = _NAMES[heritage]
        first = rng.choice(pools[gender])
        last = rng.choice(pools["last"])
        if gender == "woman":
            pronouns = "she/her" if rng.random() < 0.93 else "she/they"
        elif gender == "man":
            pronouns = "he/him" if rng.random() < 0.95 else "he/they"
        else:
            pronouns = "they/them"
        return gender, pronouns, first, last, f"{first} {last}"

    def _languages(self, heritage: str, metro: Metro | None, force_es: bool) -> list[str]:
        rng = self.rng
        langs = ["en"]
        for lang, p in _HERITAGE_LANG[heritage]:
            if rng.random() < p:
                langs.append(lang)
        if force_es and "es" not in langs:
            langs.append("es")
        if (
            "es" in langs
            and metro is not None
            and metro.slug in _SPANISH_ONLY_METROS
            and not force_es
            and rng.random() < 0.04
        ):
            langs.remove("en")
        return _ordered("language", langs)

    def _phone(self, area: str) -> str:
        rng = self.rng
        for _ in range(200):
            phone = f"{area}-555-01{rng.randint(0, 99):02d}"
            if self.synthetic or phone not in self.phones:
                self.phones.add(phone)
                return phone
        return phone

    def _slug(self, base: str) -> str:
        if self.synthetic:
            return f"{base}-{self.index}"
        slug, i = base, 2
        while slug in self.slugs:
            slug = f"{base}-{i}"
            i += 1
        self.slugs.add(slug)
        return slug

    # ---- one listing ----
    def listing(
        self,
        role: str,
        office: _Office | None,
        home_state: str,
        extra_states: Sequence[str] = (),
        *,
        force: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        rng = self.rng
        self.index += 1
        metro = office.metro if office else None
        heritage = (
            "hispanic"
            if "es" in force
            else (
                _pick_weighted(rng, _boost(metro.heritage))
                if metro
                else _pick_weighted(
                    rng,
                    (
                        ("general", 78),
                        ("hispanic", 12),
                        ("south-asian", 3),
                        ("chinese", 2),
                        ("korean", 1),
                        ("vietnamese", 1),
                        ("arab", 1),
                        ("russian", 1),
                        ("somali", 1),
                    ),
                )
            )
        )
        gender, pronouns, first, last, name = self._person(heritage)

        clinical = _clinical(rng, role)
        _enforce_coherence(clinical)

        licence = _pick_weighted(rng, _LICENCE_BY_ROLE[role])
        if licence in ("lpc", "lmhc"):
            licence = "lmhc" if home_state in LMHC_STATES else "lpc"
        years = rng.randint(2, 34)
        if licence in ("psyd", "phd"):
            years = max(years, 4)
        if "gottman-certified" in clinical.trainings or "iceeft-certified" in clinical.trainings:
            years = max(years, 7)

        # licences: home state, sometimes a neighbouring state, psychologists a few more
        licence_states = {home_state, *extra_states}
        if metro:
            for st in metro.neighbours:
                if rng.random() < 0.3:
                    licence_states.add(st)
        if licence in ("psyd", "phd") and rng.random() < 0.3:
            licence_states.update(rng.sample(STATES, rng.randint(2, 6)))

        # formats
        if office is None:
            formats = {"video"} | ({"phone"} if rng.random() < 0.45 else set())
        else:
            formats = {"in-person"}
            if rng.random() < 0.8 or "video" in force:
                formats.add("video")
            if rng.random() < 0.2:
                formats.add("phone")
        telehealth: set[str] = set()
        if formats & {"video", "phone"}:
            telehealth = set(licence_states)
            if office is not None and len(licence_states) > 1 and rng.random() < 0.15:
                telehealth = {home_state}

        # safety practice
        joint = bool({"couples", "co-parents"} & clinical.sees)
        dv_spec = "domestic-violence" in clinical.specialties
        screens = dv_spec or role == "dv" or (rng.random() < 0.76 if joint else rng.random() < 0.3)
        screens = screens or "screens" in force
        dv_trained = (
            dv_spec
            or "dv-advocacy" in clinical.trainings
            or "anger-accountability" in clinical.specialties
            or rng.random() < 0.3
        )
        trauma_informed = (
            dv_spec
            or "trauma" in clinical.specialties
            or "emdr" in clinical.modalities
            or rng.random() < 0.55
        )

        # children
        cmin = cmax = None
        if clinical.sees & {"families", "co-parents"} and rng.random() < 0.85:
            cmin = rng.choice((0, 0, 3, 4, 5, 6, 8, 10, 12))
            cmax = rng.choice(tuple(a for a in (10, 12, 14, 16, 17, 18, 18, 18) if a > cmin))

        # fees
        tier = metro.tier if metro else rng.choice((1, 2))
        lo, hi = {1: (60, 160), 2: (80, 200), 3: (110, 250)}[tier]
        fee_min = rng.randrange(lo, hi + 1, 5)
        if licence in ("psyd", "phd"):
            fee_min = min(fee_min + 25, 255)
        fee_max = min(275, fee_min + rng.choice((0, 0, 10, 20, 25, 30, 40, 50, 60)))
        sliding = rng.random() < (0.45 if licence == "lcsw" else 0.33) or "sliding" in force
        floor = None
        if sliding:
            floor = max(30, int(fee_min * rng.uniform(0.3, 0.7)) // 5 * 5)
            floor = min(floor, fee_min)
        free_consult = rng.random() < 0.6

        # insurance
        insurance: set[str] = set()
        if rng.random() > 0.45:
            plans = ["aetna", "blue-cross", "cigna", "optum", "humana", "magellan", "tricare"]
            if home_state in KAISER_STATES:
                plans.append("kaiser")
            insurance.update(rng.sample(plans, rng.randint(1, 4)))
            if rng.random() < (0.35 if licence == "lcsw" else 0.12):
                insurance.add("medicaid")
            if licence in ("lcsw", "lmft", "psyd", "phd") and rng.random() < 0.2:
                insurance.add("medicare")
        superbills = rng.random() < (0.85 if not insurance else 0.35)

        languages = self._languages(heritage, metro, "es" in force)

        accepting = rng.random() >= 0.15 or "open" in force
        next_opening = None
        if accepting:
            span = (OPENING_LAST - ANCHOR).days
            next_opening = (
                ANCHOR + timedelta(days=min(rng.randint(0, span), rng.randint(0, span)))
            ).isoformat()
        reply_days = int(
            _pick_weighted(
                rng, (("1", 25), ("2", 30), ("3", 20), ("4", 10), ("5", 8), ("6", 4), ("7", 3))
            )
        )
        r = rng.random()
        if r < 0.10:
            verified_age = rng.randint(201, 430)
        elif r < 0.16:
            verified_age = rng.randint(121, 200)
        else:
            verified_age = rng.randint(0, 120)
        if "open" in force:
            verified_age = verified_age % 90
        last_verified = (ANCHOR - timedelta(days=verified_age)).isoformat()

        # identity & contact
        place = office.slug_place if office else "telehealth"
        slug = self._slug(f"{slugify(first)}-{slugify(last)}-{licence}-{place}")
        area = office.area if office else STATE_AREA[home_state]
        phone = self._phone(area)
        f_s, l_s = slugify(first).replace("-", ""), slugify(last).replace("-", "")
        tld = rng.choice(("org", "com", "net"))
        practice = rng.choice(
            (
                f"{l_s}counseling",
                f"{f_s}{l_s}therapy",
                f"{l_s}familytherapy",
                f"{f_s}{l_s}",
                f"{l_s}couples",
                f"{place.replace('-', '')}{l_s}",
            )
        )
        email = rng.choice(
            (
                f"{f_s}@{practice}.example.{tld}",
                f"{f_s}.{l_s}@example.{tld}",
                f"hello@{practice}.example.{tld}",
                f"{f_s[0]}{l_s}@example.{tld}",
                f"intake@{practice}.example.{tld}",
            )
        )
        website = f"https://{practice}.example.com" if rng.random() < 0.78 else None

        rec: dict[str, Any] = {
            "slug": slug,
            "name": name,
            "pronouns": pronouns,
            "gender": gender,
            "licence_type": licence,
            "licence_number": (
                f"{home_state}-{licence.upper()}-FAKE-{rng.randint(100000, 999999)}"
            ),
            "licence_states": _states_ordered(licence_states),
            "years_in_practice": years,
            "trainings": _ordered("training", clinical.trainings),
            "sees": _ordered("sees", clinical.sees),
            "children_age_min": cmin,
            "children_age_max": cmax,
            "specialties": clinical.specialties,
            "modalities": _ordered("modality", clinical.modalities),
            "screens_individually": screens,
            "dv_trained": dv_trained,
            "trauma_informed": trauma_informed,
            "formats": _ordered("format", formats),
            "office": (
                {"city": office.city, "state": office.state, "zip": office.zip} if office else None
            ),
            "telehealth_states": _states_ordered(telehealth),
            "fee_min": fee_min,
            "fee_max": fee_max,
            "sliding_scale": sliding,
            "sliding_floor": floor,
            "free_consult": free_consult,
            "insurance": _ordered("insurance", insurance),
            "superbills": superbills,
            "languages": languages,
            "evenings": rng.random() < 0.55,
            "weekends": rng.random() < 0.25,
            "office_accessible": (rng.random() < 0.82) if office else None,
            "accepting": accepting,
            "next_opening": next_opening,
            "reply_days": reply_days,
            "last_verified": last_verified,
            "phone": phone,
            "email": email,
            "website": website,
            "bio": "",
        }
        # bio (specialties keep the primary first for the opener; stored in taxonomy order)
        if office:
            city = office.city
            hood = rng.choice(metro.hoods) if metro else office.city
            county = metro.county if metro else f"{office.city}-area"
        else:
            city = STATE_NAMES[home_state]
            hood = city
            county = city
        levels = [lv for lv in ("3", "2", "1") if f"gottman-level-{lv}" in clinical.trainings]
        tele_names = [STATE_NAMES[s] for s in rec["telehealth_states"]]
        ctx = {
            "city": city,
            "hood": hood,
            "county": county,
            "years": _num(years),
            "n": _num(rng.randint(3, max(3, min(12, years - 1)))),
            "party": "parent"
            if "co-parents" in clinical.sees and "couples" not in clinical.sees
            else "partner",
            "floor": floor,
            "langs": _join_words([LANGUAGE_NAMES[x] for x in languages]),
            "states": _join_words(tele_names)
            if len(tele_names) <= 4
            else f"{len(tele_names)} states",
            "cmin": cmin,
            "cmax": cmax,
            "gottman_level": levels[0] if levels else "1",
            "reply": _num(reply_days),
            "fee_min": fee_min,
            "fee_max": fee_max,
            "reply_min": rng.choice(("fifteen", "twenty", "thirty")),
        }
        bio = self.bios.compose(rec, role, ctx)
        for _ in range(20):  # the curated seed never repeats a bio
            if self.synthetic or bio not in self.seen_bios:
                break
            bio = self.bios.compose(rec, role, ctx)
        if not self.synthetic:
            self.seen_bios.add(bio)
        rec["bio"] = bio
        rec["specialties"] = _ordered("specialty", clinical.specialties)
        return rec


@functools.lru_cache(maxsize=64)
def _boost(pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """Smaller language communities get twice their weight, so that every language filter
    finds a few clinicians."""
    return tuple((h, w if h in ("general", "hispanic") else 2 * w) for h, w in pairs)


def _metro_office(rng: random.Random, metro: Metro) -> _Office:
    zip_code, city, state, area = rng.choice(metro.zips)
    return _Office(zip_code, city, state, area, metro, metro.slug)


def _allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Largest-remainder split of ``total`` by ``weights``."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# Listings added where a metro was too thin for the hand-off from a readiness result: each
# finds at least three counselors near these ZIP codes for a safety result, a crisis result,
# a parent estranged from an adult child, a Spanish-speaking co-parent and a couple (tests/
# web/test_directory_preset.py), with ZIPs 60614, 78701, 85004, 90033, 30303, 98101 and 80202.
# (metro, office ZIP, role, how many, forced traits), or (state, None, ...) for telehealth
# only; every one open to new clients, recently verified, screening each person
# individually, with video.
COVERAGE: tuple[tuple[str, str | None, str, int, tuple[str, ...]], ...] = (
    ("chicago", "60614", "crisis", 2, ()),
    ("chicago", "60614", "estrangement", 2, ()),
    ("austin", "78702", "crisis", 2, ()),
    ("austin", "78702", "estrangement", 2, ()),
    ("austin", "78702", "dv", 1, ()),
    ("austin", "78702", "coparent", 2, ("es",)),
    ("austin", "78702", "couples", 1, ()),
    ("phoenix", "85004", "dv", 2, ()),
    ("phoenix", "85004", "crisis", 3, ()),
    ("phoenix", "85004", "estrangement", 3, ()),
    ("phoenix", "85004", "coparent", 3, ("es",)),
    ("los-angeles", "90033", "crisis", 2, ()),
    ("los-angeles", "90033", "estrangement", 2, ()),
    ("los-angeles", "90033", "coparent", 2, ("es",)),
    ("atlanta", "30309", "dv", 2, ()),
    ("atlanta", "30309", "crisis", 3, ()),
    ("atlanta", "30309", "estrangement", 2, ()),
    ("atlanta", "30309", "coparent", 3, ("es",)),
    ("seattle", "98122", "crisis", 2, ()),
    ("seattle", "98122", "estrangement", 2, ()),
    ("WA", None, "coparent", 3, ("es",)),
    ("denver", "80203", "crisis", 3, ()),
    ("denver", "80203", "estrangement", 1, ()),
    ("denver", "80203", "coparent", 2, ("es",)),
)
COVERAGE_COUNT = sum(entry[3] for entry in COVERAGE)


def _coverage_office(metro: Metro, zip_code: str) -> _Office:
    for z, city, state, area in metro.zips:
        if z == zip_code:
            return _Office(z, city, state, area, metro, metro.slug)
    raise ValueError(f"{zip_code} is not one of the ZIP codes of {metro.slug}")


def _curated(n: int, seed: int) -> Iterator[dict[str, Any]]:
    gen = _Generator(seed, synthetic=False)
    rng = gen.rng
    # The coverage listings come last, so that the others stay as they were.
    coverage = n >= DEFAULT_COUNT
    if coverage:
        n -= COVERAGE_COUNT
    n_tele = round(n * TELEHEALTH_SHARE) if n >= 20 else 0
    n_metro = n - n_tele
    counts = _allocate(n_metro, [m.weight for m in METROS])
    for metro, count in zip(METROS, counts, strict=True):
        roles = list(ROLE_ROTATION[:count])
        roles += [_pick_weighted(rng, ROLE_WEIGHTS) for _ in range(count - len(roles))]
        forced: list[frozenset[str]] = [frozenset()] * count
        if metro.slug == "chicago":
            # demo search: Spanish-speaking co-parenting help by video with a sliding scale
            # near ZIP 60614
            for i in range(min(4, count)):
                roles[-1 - i] = "coparent"
                forced[-1 - i] = frozenset({"es", "video", "sliding", "co-parenting"})
        for role, force in zip(roles, forced, strict=True):
            office = _metro_office(rng, metro)
            yield gen.listing(role, office, office.state, force=force)
    # telehealth-only: every state and DC gets at least one home-state clinician
    states = list(STATES)
    rng.shuffle(states)
    for i in range(n_tele):
        home = states[i % len(states)]
        extra: list[str] = []
        if i >= len(states) or rng.random() < 0.3:
            extra = rng.sample(STATES, rng.randint(1, 4))
        role = _pick_weighted(rng, ROLE_WEIGHTS)
        yield gen.listing(role, None, home, extra)
    if coverage:
        for place, zip_code, role, count, traits in COVERAGE:
            office = _coverage_office(METRO_BY_SLUG[place], zip_code) if zip_code else None
            force = frozenset({"open", "screens", "video", *traits})
            for _ in range(count):
                yield gen.listing(role, office, office.state if office else place, force=force)


_NATIONAL_ZIPS: list[tuple[str, str, str, str]] | None = None


def _national_zips() -> list[tuple[str, str, str, str]]:
    """(zip, city, state, area code) for every standard ZIP in the 50 states + DC."""
    global _NATIONAL_ZIPS
    if _NATIONAL_ZIPS is None:
        import zipcodes

        rows = []
        for z in zipcodes.list_all():
            if z["zip_code_type"] != "STANDARD" or z["state"] not in STATE_NAMES:
                continue
            if not z.get("lat") or not z.get("long"):
                continue
            area = z["area_codes"][0] if z.get("area_codes") else STATE_AREA[z["state"]]
            rows.append((z["zip_code"], z["city"], z["state"], area))
        rows.sort()
        _NATIONAL_ZIPS = rows
    return _NATIONAL_ZIPS


def _synthetic(n: int, seed: int) -> Iterator[dict[str, Any]]:
    gen = _Generator(seed, synthetic=True)
    rng = gen.rng
    national = _national_zips()
    metro_weights = tuple((m.slug, m.weight) for m in METROS)
    for _ in range(n):
        role = _pick_weighted(rng, ROLE_WEIGHTS)
        r = rng.random()
        if r < 0.12:
            yield gen.listing(role, None, rng.choice(STATES))
        elif r < 0.62:
            office = _metro_office(rng, METRO_BY_SLUG[_pick_weighted(rng, metro_weights)])
            yield gen.listing(role, office, office.state)
        else:
            zip_code, city, state, area = rng.choice(national)
            office = _Office(zip_code, city, state, area, None, slugify(city) or "us")
            yield gen.listing(role, office, state)


def iter_listings(
    n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` fictional listing records, one dict at a time (deterministic per seed)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return _synthetic(n, seed) if synthetic else _curated(n, seed)


def generate(
    n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> list[dict[str, Any]]:
    """All ``n`` records as a list (see ``iter_listings``)."""
    return list(iter_listings(n, seed, synthetic))


def command_line(n: int, seed: int, synthetic: bool) -> str:
    parts = ["python -m portal.generate", f"--count {n}", f"--seed {seed}"]
    if synthetic:
        parts.append("--synthetic")
    return " ".join(parts)


def write_json(
    out: Path | str, n: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED, synthetic: bool = False
) -> int:
    """Stream the records to ``out`` (one listing per line). Returns the number written."""
    header: dict[str, Any] = {"generated_by": command_line(n, seed, synthetic), "fictional": True}
    if synthetic:
        header["synthetic"] = True
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        head = json.dumps(header, ensure_ascii=False)
        fh.write(head[:-1] + ', "listings": [\n')
        for rec in iter_listings(n, seed, synthetic):
            if count:
                fh.write(",\n")
            fh.write(json.dumps(rec, ensure_ascii=False))
            count += 1
        fh.write("\n]}\n")
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.generate",
        description="Write fictional counselor listings (deterministic for a given seed).",
    )
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="large benchmark set: index-suffixed slugs, nationwide ZIPs",
    )
    parser.add_argument("--out", default="-", help="output file ('-' for stdout)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.count < 0:
        parser.error("--count must be >= 0")
    if args.out == "-":
        header = {
            "generated_by": command_line(args.count, args.seed, args.synthetic),
            "fictional": True,
        }
        if args.synthetic:
            header["synthetic"] = True
        header["listings"] = generate(args.count, args.seed, args.synthetic)
        json.dump(header, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    count = write_json(args.out, args.count, args.seed, args.synthetic)
    print(f"wrote {count} listings to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
