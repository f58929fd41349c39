"""Database tables: counselor listings and the facets they are filtered by.

Nothing about a portal user is ever stored here: answers, shortlists and prep sheets live only
in the user's expiring, encrypted session cookie. An anonymous report ("Did you try to reach
them?") is a listing, an outcome and a day, tied to no one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index
from sqlmodel import Field, SQLModel


class Listing(SQLModel, table=True):
    """One fictional counselor. List-valued fields are kept twice: as JSON for display, and as
    rows of ``ListingFacet`` so that filters use an index."""

    __tablename__ = "listing"
    __table_args__ = (
        Index("ix_listing_lat_lon", "lat", "lon"),
        Index("ix_listing_fee", "fee_min"),
        Index("ix_listing_opening", "accepting", "next_opening"),
        Index("ix_listing_verified", "last_verified"),
        Index("ix_listing_confirmed", "availability_confirmed"),
        # The default order (accepting first, then a fixed shuffle) read straight off an index.
        Index("ix_listing_rank", "accepting", "shuffle"),
        # The yes/no filters' bitmaps (directory/bitmaps.py) are read from this index alone.
        Index(
            "ix_listing_flags",
            "sliding_scale",
            "free_consult",
            "screens_individually",
            "evenings",
            "weekends",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=120)
    name: str = Field(max_length=120)
    pronouns: str = Field(default="", max_length=40)
    gender: str = Field(max_length=20)
    licence_type: str = Field(max_length=10)
    licence_number: str = Field(max_length=60)
    licence_states: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    years_in_practice: int
    trainings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    children_age_min: int | None = None
    children_age_max: int | None = None
    specialties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    modalities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    screens_individually: bool = False
    dv_trained: bool = False
    trauma_informed: bool = False
    formats: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    city: str | None = Field(default=None, max_length=80)
    state: str | None = Field(default=None, max_length=2)
    zip: str | None = Field(default=None, max_length=5)
    lat: float | None = None
    lon: float | None = None
    telehealth_states: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    fee_min: int
    fee_max: int
    sliding_scale: bool = False
    sliding_floor: int | None = None
    free_consult: bool = False
    insurance: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    superbills: bool = False
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    evenings: bool = False
    weekends: bool = False
    office_accessible: bool | None = None
    accepting: bool = True
    # A pseudo-random, stable position among equals (from the slug, set when loading): the
    # default order is neither alphabetical nor by id, and no listing can buy its place.
    shuffle: int = 0
    next_opening: date | None = None
    reply_days: int = 2
    last_verified: date
    # The day the counselor last confirmed their availability through a listing link.
    availability_confirmed: date | None = None
    phone: str = Field(max_length=20)
    email: str = Field(max_length=120)
    website: str | None = Field(default=None, max_length=200)
    bio: str
    search_terms: str = ""  # directory/search.py: languages, specialties, approaches by name


class ListingFacet(SQLModel, table=True):
    """(facet, value) pairs of a listing, e.g. ("specialty", "co-parenting"). The primary key
    leads with facet and value so that "who has X" is one index range."""

    __tablename__ = "listing_facet"
    # WITHOUT ROWID on SQLite: the primary key is the table, one B-tree less to write and read.
    __table_args__ = (
        Index("ix_listing_facet_listing", "listing_id"),
        {"sqlite_with_rowid": False},
    )

    facet: str = Field(primary_key=True, max_length=20)
    value: str = Field(primary_key=True, max_length=40)
    listing_id: int = Field(primary_key=True, foreign_key="listing.id", ondelete="CASCADE")


class DataVersion(SQLModel, table=True):
    """One row: which version of the listings the database holds. Every load bumps it in
    its own transaction (``db.bump_data_version``), and every process keys what it keeps
    about the listings (bitmaps, totals, kept searches, exports) by it."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(sa_type=BigInteger)


class ListingLink(SQLModel, table=True):
    """A confirmation link issued to a counselor (``python -m portal listing-link``): which
    listing it may change, until when, and whether it was used (each link works once)."""

    __tablename__ = "listing_link"

    nonce: str = Field(primary_key=True, max_length=32)
    listing_slug: str = Field(max_length=120, index=True)
    # Naive UTC moments (confirm.utc_now), the same on SQLite and PostgreSQL.
    expires: datetime = Field(sa_type=DateTime)
    used: datetime | None = Field(default=None, sa_type=DateTime)


class ListingChange(SQLModel, table=True):
    """What a counselor changed through a link, and when: the field, the old and new value.
    Nothing about who visited the directory."""

    __tablename__ = "listing_change"

    id: int | None = Field(default=None, primary_key=True)
    listing_slug: str = Field(max_length=120, index=True)
    changed: datetime = Field(sa_type=DateTime)
    field: str = Field(max_length=40)
    old: str = Field(max_length=400)
    new: str = Field(max_length=400)


class ListingReport(SQLModel, table=True):
    """One anonymous report of trying to reach a counselor: the listing, the outcome, the day.
    Deliberately nothing else (no session, cookie, address or answer)."""

    __tablename__ = "listing_report"
    __table_args__ = (Index("ix_listing_report_day", "day", "listing_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    listing_slug: str = Field(max_length=120, index=True)
    outcome: str = Field(max_length=20)
    day: date


class ZipCentroid(SQLModel, table=True):
    """US ZIP code centres (from the offline ``zipcodes`` package), for radius search."""

    __tablename__ = "zip_centroid"

    zip: str = Field(primary_key=True, max_length=5)
    state: str = Field(max_length=2)
    city: str = Field(max_length=80)
    lat: float
    lon: float


# Facets kept in ListingFacet: (facet name, Listing attribute holding the list).
FACETS: dict[str, str] = {
    "sees": "sees",
    "specialty": "specialties",
    "modality": "modalities",
    "training": "trainings",
    "licence": "licence_type",
    "licence_state": "licence_states",
    "format": "formats",
    "telehealth_state": "telehealth_states",
    "insurance": "insurance",
    "language": "languages",
    "gender": "gender",
}
