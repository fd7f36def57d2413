"""Masking, fingerprints and merging: the only ways a found value leaves a detector."""

from bot.scan.report import Finding, Report, fingerprint, mask, merge_reports, normalize_text


def test_mask_keeps_at_most_the_last_four():
    assert mask("A123454821", keep_prefix="A") == "A•••••4821"
    assert mask("123-45-6789") == "••••••6789"
    assert mask("maria.lopez@example.org") == "••••••.org"


def test_short_values_are_fully_masked_without_telling_their_length():
    assert mask("Ana") == mask("Li Wei") == mask("12345678") == "••••••"


def test_fingerprint_is_hmac_sha256_of_type_and_value():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"A_NUMBER:012345678", hashlib.sha256).hexdigest()
    assert fingerprint("A_NUMBER", "012345678", b"k") == expected


def test_normalize_text_folds_case_space_and_punctuation():
    assert normalize_text("  GARCÍA-López,  María ") == "garcía lópez maría"
    assert normalize_text("ﬁona") == "fiona"  # NFKC


def _doc(target, severity, people, fps, error=None):
    report = Report(target=target, kind="csv", records_affected=people, error=error)
    report.severity = severity
    if fps:
        report.findings = [Finding("SSN", len(fps), 0.9, ["line 2"], ["••••••1234"], list(fps))]
    return report


def test_merge_counts_distinct_values_across_documents_and_keeps_the_worst():
    merged = merge_reports("site", [_doc("a.csv", "high", 2, ["f1", "f2"]), _doc("b.csv", "low", 1, ["f2", "f3"])], "high")
    ssn = merged.finding("SSN")
    assert ssn.count == 3 and sorted(ssn.fingerprints) == ["f1", "f2", "f3"]
    assert ssn.where == ["a.csv › line 2", "b.csv › line 2"]
    assert (merged.severity, merged.incident, merged.records_affected) == ("high", True, 3)
    assert merged.exit_code == 1


def test_an_unreadable_document_fails_a_clean_merge():
    merged = merge_reports("site", [_doc("a.csv", "none", 0, []), _doc("b.xlsx", "none", 0, [], error="Truncated.")], "high")
    assert merged.error is None and merged.exit_code == 2
    assert merged.notes == ["b.xlsx: Truncated."]


def test_a_merge_of_nothing_readable_is_an_error():
    merged = merge_reports("site", [_doc("b.xlsx", "none", 0, [], error="Truncated.")], "high")
    assert merged.error and merged.exit_code == 2


def test_report_round_trips_through_a_dict():
    report = merge_reports("site", [_doc("a.csv", "high", 2, ["f1"])], "high")
    again = Report.from_dict(report.to_dict())
    assert again.to_dict() == report.to_dict()


def test_finding_to_dict_is_asdict_without_sharing_lists():
    from dataclasses import asdict

    finding = Finding(type="EMAIL", count=70_000, confidence=0.9, where=["people.csv column \"email\", rows 2-70001"],
                      samples=["••••••.net"], fingerprints=["ab" * 32, "cd" * 32], count_exact=False)
    data = finding.to_dict()
    assert data == asdict(finding) and list(data) == list(asdict(finding))
    data["fingerprints"].append("ef" * 32)  # a copy: the finding is not changed through it
    assert len(finding.fingerprints) == 2
