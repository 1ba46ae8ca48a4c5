import pytest

from kg.extract.urls import clean_url, find_urls, is_repository


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://github.com/owner/repo.", "https://github.com/owner/repo"),
        ("github.com/owner/repo", "https://github.com/owner/repo"),
        ("www.github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.new", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo{here}", "https://github.com/owner/repo"),
        ("https://github.com/o/r/tree/main/sub).", "https://github.com/o/r/tree/main/sub"),
        ("https://lab.github.io/page/", "https://lab.github.io/page/"),
    ],
)
def test_clean_url(raw, expected):
    assert clean_url(raw) == expected


def test_glued_duplicate_urls_are_split_and_kept_once():
    text = "Code: https://github.com/a/b-c.https://github.com/a/b-c. Thanks."
    assert [u.url for u in find_urls(text)] == ["https://github.com/a/b-c"]


def test_schemeless_and_www_links_are_found_with_offsets():
    text = "See github.com/lab/tool and www.example.org/x for details."
    found = find_urls(text)
    assert [u.url for u in found] == ["https://github.com/lab/tool", "https://www.example.org/x"]
    assert text[found[0].start:found[0].end] == "github.com/lab/tool"


def test_repository_or_other_link():
    assert is_repository("https://github.com/o/r")
    assert is_repository("https://huggingface.co/org/model")
    assert not is_repository("https://huggingface.co/papers/2401.00001")
    assert not is_repository("https://github.com/o")
    assert not is_repository("https://o.github.io/project")


def test_email_addresses_are_not_urls():
    assert find_urls("Contact me@github.com for access.") == []


def test_links_are_found_whatever_their_case():
    # the scan runs on the lowercased text; the URL keeps the case the page wrote it in
    text = "Code at HTTPS://GitHub.com/Lab/ToolKit and GitHub.com/Lab/Other; page WWW.Lab.org/Tool."
    found = find_urls(text)
    assert [text[u.start:u.end] for u in found] == [
        "HTTPS://GitHub.com/Lab/ToolKit", "GitHub.com/Lab/Other", "WWW.Lab.org/Tool"]
    assert find_urls("No link here, only Githubs and wwwords.") == []
