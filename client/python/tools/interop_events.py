"""The fixed events and keys of tests/data/python-interop-vectors.json: what both clients
must sign byte for byte (make_interop_vectors.py has the C++ client compute them)."""
import pathlib

import ailedger

ORIGIN = "interop.ailedger.example/log"
ORGANISATION = "Acme AI"
RULES_VERSION = 3  # vocabulary v2
# Fixed seeds, test only: never use these keys for a real log.
KEYS = {"publisher": bytes([1]) * 32, "ci-pipeline": bytes([2]) * 32}
CARD = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "model-card.md"


def signing_keys():
    return {name: ailedger.SigningKey(name, 1, seed) for name, seed in KEYS.items()}


def events():
    """[(signer name, event dict)]"""
    system = ailedger.template("SystemRegistered", ORGANISATION, occurred_at_ms=1700000000000)
    system["subjects"] = [{"kind": "system", "id": "credit-scoring"}]
    risk = ailedger.template("RiskAssessed", ORGANISATION, occurred_at_ms=1700000000001)
    risk["subjects"] = [{"kind": "system", "id": "credit-scoring"}]
    risk["nonce"] = "AQID"
    incident = ailedger.template("IncidentReported", ORGANISATION, occurred_at_ms=1700000000002)
    incident["subjects"] = [{"kind": "system", "id": "credit-scoring"},
                            {"kind": "incident", "id": "INC-2023-007"}]
    incident["incident_reported"]["aware_at_ms"] = "1700000000002"
    incident["incident_reported"]["description"] = "écart de crédit – 60+ ✓"
    fairness = ailedger.fairness_snapshot(
        [1, 0, 1, 1, 0, 0, 1, 0], [1, 0, 0, 1, 1, 0, 1, 1],
        {"sex": ["f", "m", "f", "m", "f", "m", "f", "m"],
         "age band": ["60+", "<60", "<60", "60+", "60+", "<60", None, "<60"]},
        model_version="2.4.0", evaluation_dataset_sha256=bytes([0x5a]) * 32,
        label_window=(1693526400000, 1701388800000),
        decision_window=(1693526400000, 1701388800000), favourable_outcome="approved",
        positive_label="credit granted", positive_is_favourable=True,
        method_version="ailedger-python 0.1.0", decision_threshold=0.0,
        reference_groups={"sex": "m", "age band": "<60"}, deployer="Acme AI", region="DE",
        system="credit-scoring", organisation=ORGANISATION, occurred_at_ms=1700000000003)
    release = ailedger.release_from_model_card(CARD, occurred_at_ms=1700000000004)
    return [("publisher", system), ("ci-pipeline", release), ("publisher", risk),
            ("publisher", incident), ("ci-pipeline", fairness)]
