"""Builders: confusion counts computed locally, model cards, templates."""
import hashlib

import pytest

import ailedger
from ailedger import LedgerError
from conftest import ROOT

CARD = ROOT / "client" / "python" / "tests" / "data" / "model-card.md"
ARGS = dict(model_version="2.4.0", evaluation_dataset_sha256="5a" * 32,
            label_window=(1, 2), decision_window=(1, 2), favourable_outcome="approved",
            positive_label="repaid", positive_is_favourable=True, method_version="p 1.0",
            occurred_at_ms=5)


def cells(feature):
    return {" x ".join(c["group"]): (int(c["tp"]), int(c["fp"]), int(c["tn"]), int(c["fn"]))
            for c in feature["cells"]}


def test_confusion_counts_per_group_and_intersection():
    y = [1, 1, 0, 0, 1, 0, 1, 0]
    p = [1, 0, 1, 0, 1, 1, 0, 0]
    e = ailedger.fairness_snapshot(y, p, {"sex": list("ffffmmmm"), "age": list("aabbaabb")},
                                   reference_groups={"sex": "m", "age": "a"}, **ARGS)
    fs = e["fairness_snapshot"]
    sex, age, both = fs["features"]
    assert cells(sex) == {"f": (1, 1, 1, 1), "m": (1, 1, 1, 1)}
    assert sex["reference_group"] == "m" and age["reference_group"] == "a"
    assert both["name"] == "sex x age" and both["reference_group"] == "m x a"
    assert cells(both)["f x a"] == (1, 0, 0, 1)
    assert sum(sum(c) for c in cells(both).values()) == 8
    assert fs["share_unknown"] == 0.0 and fs["population"]["sampling"] == "SAMPLING_CENSUS"
    assert ailedger.to_event(e).fairness_snapshot.positive_is_favourable is True


def test_scores_cut_at_the_threshold_and_unknown_groups():
    e = ailedger.fairness_snapshot([1, 0, 1, 0], [0.9, 0.7, 0.2, 0.1],
                                   ["a", "a", "b", None], decision_threshold=0.5, **ARGS)
    fs = e["fairness_snapshot"]
    assert cells(fs["features"][0]) == {"a": (1, 1, 0, 0), "b": (0, 0, 0, 1)}
    assert fs["share_unknown"] == 0.25 and fs["decision_threshold"] == 0.5
    ev = ailedger.to_event(e)
    assert ev.fairness_snapshot.HasField("decision_threshold")


def test_refusals():
    with pytest.raises(LedgerError):
        ailedger.fairness_snapshot([1], [1], ["a"], **ARGS)  # one group
    with pytest.raises(LedgerError):
        ailedger.fairness_snapshot([1, 0], [1], ["a", "b"], **ARGS)
    with pytest.raises(LedgerError):
        ailedger.fairness_snapshot([1, 0], [1, 0], ["a", "b"], reference_groups={"group": "c"},
                                   **ARGS)


def test_release_from_model_card():
    e = ailedger.release_from_model_card(CARD, occurred_at_ms=1)
    r = ailedger.to_event(e).model_version_released
    assert r.version == "2.4.0" and r.license == "apache-2.0"
    assert r.base_model == "acme/credit-base-1.0"
    assert list(r.datasets) == ["acme/credit-applications-2023"]
    assert r.model_card_sha256 == hashlib.sha256(CARD.read_bytes()).digest()
    assert r.artifact_sha256 == bytes([0x11]) * 32
    assert "underwriter" in r.intended_use and "over 60" in r.limitations
    assert r.out_of_scope_uses.startswith("Employment")
    assert [(m.name, m.value) for m in r.metrics] == [("AUC", 0.81), ("Accuracy", 0.0)]
    assert r.metrics[1].HasField("value")  # 0.0 is a value (presence)
    assert e["subjects"] == [{"kind": "system", "id": "credit-scoring"}]
    e = ailedger.release_from_model_card(CARD, artifact_path=CARD, version="2.5.0",
                                         previous_version="2.4.0")
    r = ailedger.to_event(e).model_version_released
    assert r.artifact_sha256 == r.model_card_sha256 and r.previous_version == "2.4.0"


def test_template():
    t = ailedger.template("FairnessSnapshot", "Acme AI", occurred_at_ms=7)
    assert t["organisation"] == "Acme AI" and t["occurred_at_ms"] == "7"
    ailedger.to_event(t)
    with pytest.raises(LedgerError):
        ailedger.template("NoSuchType")
