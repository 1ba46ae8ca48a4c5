"""The store contract, on every backend (tests/stores/conftest.py): the same batches in any order
and any batch size give the same graph, and the same graph as LadybugDB; a renamed entity gets
one name everywhere; metadata merges the same way whatever the order; a replaced text is the
same text everywhere."""

from __future__ import annotations

import random

import pytest

from kg.graph import build_tables
from kg.models import Comparison, Extraction, Mention, Paper, Result
from kg.normalize import norm_key


def extraction(pid: str, *, title: str | None = None, abstract: str = "An abstract.", date: str | None = None,
               url: str | None = None, methods=(), datasets=(), beats=(), results=(), spelled=()) -> Extraction:
    """A hand-made extraction: ``beats`` are (winner, loser, dataset) claims ("SOTA" as loser:
    the unnamed state of the art), ``results`` (method, dataset, value), ``spelled`` (label,
    text, canonical name) spellings of entities in this paper."""
    comparisons = [Comparison(winner=w, loser=lo, dataset=d, metric="accuracy", delta="1.0%",
                              sentence=f"{w} outperforms {lo} on {d}.", start=i, end=i + 10, confidence=0.9)
                   for i, (w, lo, d) in enumerate(beats)]
    numbers = [Result(method=m, dataset=d, metric="accuracy", value=v, unit="%", raw=f"{v}%",
                      sentence=f"{m} reaches {v}% on {d}.", start=i, end=i + 5, confidence=0.8)
               for i, (m, d, v) in enumerate(results)]
    names = [("METHOD", n) for w, lo, _ in beats for n in (w, lo) if n != "SOTA"]
    names += [("METHOD", n) for n in methods] + [("DATASET", d) for d in datasets]
    names += [("DATASET", d) for _, _, d in beats] + [("METHOD", m) for m, _, _ in results]
    mentions = [Mention(text=n, label=label, start=0, end=len(n), key=norm_key(n), name=n)
                for label, n in dict.fromkeys(names)]
    mentions += [Mention(text=text, label=label, start=0, end=len(text), key=norm_key(name), name=name)
                 for label, text, name in spelled]
    paper = Paper(id=pid, title=title or f"Paper {pid}", abstract=abstract, date=date, url=url, source=f"test:{pid}")
    return Extraction(paper=paper, methods=list(methods), datasets=list(datasets), comparisons=comparisons,
                      results=numbers, mentions=mentions)


def corpus() -> list[Extraction]:
    """Twelve papers sharing entities under several spellings, with claims and results."""
    return [
        extraction("c1", methods=["Zorbnet"], beats=[("Zorbnet", "ResNet-50", "ImageNet")], date="2023-05-01"),
        extraction("c2", methods=["ZorbNet"], beats=[("ZorbNet", "ViT-B/16", "ImageNet")], date="2022-01-01"),
        extraction("c3", methods=["Blipnet"], beats=[("Blipnet", "Zorbnet", "CIFAR-10")],
                   results=[("Blipnet", "CIFAR-10", 97.1)], url="https://example.org/c3"),
        extraction("c4", datasets=["CIFAR10", "ImageNet"], beats=[("Quuxformer", "SOTA", "CIFAR10")]),
        extraction("c5", methods=["Quux-former"], results=[("Quux-former", "ImageNet", 81.5)],
                   spelled=[("METHOD", "QF", "Quux-former")]),
        extraction("c6", methods=["Blip Net"], beats=[("Blip Net", "ResNet-50", "COCO")]),
        extraction("c7", datasets=["MS COCO"], beats=[("Frobnet", "Blipnet", "MS COCO")], date="--03-21"),
        extraction("c8", methods=["Frobnet", "Zorbnet"], results=[("Frobnet", "COCO", 45.0)]),
        extraction("c9", beats=[("Grault", "Frobnet", "ImageNet"), ("Grault", "SOTA", "ImageNet")]),
        extraction("c10", methods=["grault"], datasets=["Tiny-ImageNet-R"]),
        extraction("c11", beats=[("Zorbnet", "Grault", "Tiny-ImageNet-R")], date="2024-02-29"),
        extraction("c12", methods=["ZORBNET"], results=[("ZORBNET", "ImageNet", 88.8)]),
    ]


def write_in_batches(store, extractions: list[Extraction], size: int) -> None:
    for start in range(0, len(extractions), size):
        store.write(build_tables(extractions[start:start + size]))


def test_the_same_batches_in_any_order_and_size_give_the_same_graph_as_ladybug(backend, fresh, reference):
    papers = corpus()
    expected = reference([build_tables(papers)])
    shuffled = papers[:]
    random.Random(7).shuffle(shuffled)
    for order, size in ((papers, len(papers)), (papers[::-1], 1), (shuffled, 5)):
        store = fresh()
        write_in_batches(store, order, size)
        assert backend.fingerprint(store) == expected, (backend.name, size)
    again = fresh()
    write_in_batches(again, papers, 4)
    write_in_batches(again, shuffled, 3)  # writing everything again changes nothing
    assert backend.fingerprint(again) == expected


def test_an_entity_written_as_zorbnet_then_zorbnet_has_one_name_on_every_store(backend, fresh):
    for first, second in (("Zorbnet", "ZorbNet"), ("ZorbNet", "Zorbnet")):
        store = fresh()
        store.write(build_tables([extraction("z1", methods=[first])]))
        store.write(build_tables([extraction("z2", methods=[second])]))
        entity = backend.entity(store, "Method", "zorbnet")
        assert entity == {"name": "ZorbNet", "aliases": ["Zorbnet"]}, (backend.name, first)
        assert store.has_alias("zorbnet", "Method") and not store.has_alias("zorbnet", "Dataset")


def test_metadata_merges_the_same_way_whatever_the_order(backend, fresh):
    late = extraction("m1", date="2023-05-01", url="https://b.example/m1")
    early = extraction("m1", date="2021-01-01")
    results = []
    for order in ((late, early), (early, late)):
        store = fresh()
        for ex in order:
            stats = store.write(build_tables([ex]))
        assert stats.papers_unchanged == 1  # the same text: only the metadata merges
        results.append((backend.paper(store, "m1"), backend.fingerprint(store)))
    assert results[0] == results[1]
    assert results[0][0]["date"] == "2021-01-01" and results[0][0]["url"] == "https://b.example/m1"
    assert results[0][0]["source"] == "test:m1"


def test_a_fuller_text_replaces_a_stored_one_and_never_the_reverse(backend, fresh, reference):
    short = extraction("r1", abstract="Short.", beats=[("Zorbnet", "ResNet-50", "ImageNet")], date="2020-01-01")
    full = extraction("r1", abstract="A much longer abstract.", beats=[("Blipnet", "ViT-B/16", "COCO")])
    prints = []
    for order in ((short, full), (full, short)):
        store = fresh()
        stats = [store.write(build_tables([ex])) for ex in order]
        prints.append(backend.fingerprint(store))
        assert backend.paper(store, "r1")["date"] == "2020-01-01"  # the loser's metadata still merges
    assert stats[1].papers_unchanged == 1  # (full, short): the short text loses
    assert prints[0] == prints[1]


@pytest.mark.parametrize("size", [48, 5])
def test_the_sample_corpus_is_the_same_graph_on_every_store(backend, fresh, reference, sample_extractions, size):
    expected = reference([build_tables(sample_extractions)])
    store = fresh()
    write_in_batches(store, sample_extractions, size)
    assert backend.fingerprint(store) == expected
