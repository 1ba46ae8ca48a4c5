"""Records that cross module boundaries: what ingest yields and what extraction returns."""

from __future__ import annotations

from dataclasses import dataclass, field

THIS_PAPER = "THIS_PAPER"  # a claim about the paper's own method when it has no name
SOTA = "SOTA"  # the loser when the beaten methods are unnamed ("state-of-the-art methods")


@dataclass(frozen=True)
class Paper:
    """One paper as read from a source.

    ``date`` is ISO 8601 (``2024-03-21``), or ``--03-21`` (xsd:gMonthDay) when the source gives
    no year, or ``None``. ``source`` names where the record came from (``file:line``).
    ``arxiv_id`` (``2401.12345``, ``cs/0501001``; no version) and ``doi`` (lowercase) are the
    paper's identifiers when the record gives them (kg.ingest.identifiers says where from).
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    url: str | None = None
    source: str = ""
    arxiv_id: str | None = None
    doi: str | None = None

    @property
    def text(self) -> str:
        """The text extraction runs on; all offsets index into it."""
        return f"{self.title}\n{self.abstract}"


@dataclass
class Mention:
    text: str
    label: str  # METHOD, DATASET, METRIC, TASK, REPO, URL
    start: int
    end: int
    key: str
    name: str  # canonical display name
    component: str = ""
    confidence: float = 1.0
    proposed: bool = False


@dataclass
class Comparison:
    winner: str
    loser: str  # canonical name, or "SOTA" when the beaten methods are unnamed
    dataset: str | None
    metric: str | None
    delta: str | None
    sentence: str
    start: int
    end: int
    confidence: float
    component: str = "comparisons"


@dataclass
class Result:
    method: str
    dataset: str | None
    metric: str | None
    value: float
    unit: str | None
    raw: str
    sentence: str
    start: int
    end: int
    confidence: float
    component: str = "results"


@dataclass
class Extraction:
    """Everything extracted from one paper; ``to_record`` is the JSON Lines contract."""

    paper: Paper
    methods_proposed: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    datasets_proposed: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    proposed: str = "THIS_PAPER"  # the main proposed method's name (claims about "our method")
