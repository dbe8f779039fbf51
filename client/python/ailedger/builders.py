"""Builders for what ML pipelines produce. Each returns a dict in protobuf's JSON mapping (what
`ailedger push` reads and Ledger.push takes), to edit or push as is.

- fairness_snapshot: per-group (and intersectional) confusion counts computed here, so only
  counts leave the pipeline (docs/VOCABULARY.md, FairnessSnapshot; vocabulary v2 under role
  table version 3: per-feature reference_group, positive_label, positive_is_favourable,
  decision_threshold, method_version, population.sampling).
- release_from_model_card: a Hugging Face style model card (YAML front matter) into a
  ModelVersionReleased.
- template: an event of a type with every required field, as `ailedger template`.
"""

import base64
import hashlib
import itertools
import json
import pathlib
import time

from .errors import LedgerError

_TEMPLATES = None
_SAMPLING = {"census": "SAMPLING_CENSUS", "sample": "SAMPLING_SAMPLE"}
_MEMBERSHIP = {"self_declared": "MEMBERSHIP_SOURCE_SELF_DECLARED",
               "inferred": "MEMBERSHIP_SOURCE_INFERRED", "proxy": "MEMBERSHIP_SOURCE_PROXY"}


def _now_ms():
    return int(time.time() * 1000)


def _b64(data):
    return base64.b64encode(data).decode()


def _envelope(event_type, organisation, occurred_at_ms, system):
    e = {"event_type": event_type, "schema_version": 2, "organisation": organisation,
         "occurred_at_ms": str(occurred_at_ms if occurred_at_ms is not None else _now_ms())}
    if system:
        e["subjects"] = [{"kind": "system", "id": system}]
    return e


def template(event_type, organisation="Example Ltd", occurred_at_ms=None):
    """As `ailedger template EVENT_TYPE`: the envelope and a body with every required field
    (worked values or placeholders; event ids in it do not resolve)."""
    global _TEMPLATES
    if _TEMPLATES is None:
        path = pathlib.Path(__file__).with_name("templates.json")
        _TEMPLATES = json.loads(path.read_text(encoding="utf-8"))
    if event_type not in _TEMPLATES:
        raise LedgerError("INVALID_ARGUMENT", f"template: unknown event type '{event_type}'")
    e = _envelope(event_type, organisation, occurred_at_ms, None)
    # Times the C++ template sets to "now" (e.g. an incident's aware_at_ms) are the event's.
    t = json.loads(json.dumps(_TEMPLATES[event_type]).replace('"$OCCURRED_AT_MS"',
                                                              f'"{e["occurred_at_ms"]}"'))
    e.update({k: v for k, v in t.items() if k not in e})
    return e


def _predicted(y_pred, threshold):
    out = []
    for p in y_pred:
        if isinstance(p, bool) or p in (0, 1):
            out.append(bool(p))
        elif threshold is None:
            raise LedgerError("INVALID_ARGUMENT",
                              "fairness_snapshot: y_pred has scores; give decision_threshold")
        else:
            out.append(float(p) >= threshold)
    return out


def _cells(y_true, pred, labels):
    counts = {}
    for t, p, g in zip(y_true, pred, labels):
        if g is None:
            continue
        c = counts.setdefault(g, [0, 0, 0, 0])  # tp fp tn fn
        t = bool(t)
        c[0 if t and p else 1 if p else 3 if t else 2] += 1
    return counts


def _unknown(g):
    return g is None or (isinstance(g, float) and g != g) or g == ""


def fairness_snapshot(y_true, y_pred, groups, *, model_version, evaluation_dataset_sha256,
                      label_window, decision_window, favourable_outcome, positive_label,
                      positive_is_favourable, method_version, decision_threshold=0.5,
                      reference_groups=None, intersectional=True, sampling="census",
                      sampling_method="", population_size=None, deployer="", region="",
                      membership_source="self_declared", system=None,
                      organisation="Example Ltd", occurred_at_ms=None, plan_event_id=None,
                      plan_metric_id=""):
    """A FairnessSnapshot from labels, predictions (0/1, or scores cut at
    decision_threshold) and group memberships.

    `groups` maps a feature name to one group label per row (None, NaN or "" = unknown), or
    is a single sequence (feature "group"). `reference_groups` maps a feature to its
    reference group (default: its largest group). With two or more features and
    `intersectional`, a feature "a x b" with one cell per combination is added (cells named
    by their groups joined with " x "). Windows are (start_ms, end_ms);
    evaluation_dataset_sha256 is 32 bytes or 64 hex characters. Only counts are kept."""
    if not isinstance(groups, dict):
        groups = {"group": groups}
    y_true, y_pred = list(y_true), list(y_pred)
    n = len(y_true)
    if len(y_pred) != n or any(len(list(v)) != n for v in groups.values()):
        raise LedgerError("INVALID_ARGUMENT", "fairness_snapshot: y_true, y_pred and every "
                                              "groups column must have the same length")
    pred = _predicted(y_pred, decision_threshold)
    cols = {k: [None if _unknown(g) else str(g) for g in v] for k, v in groups.items()}
    reference_groups = dict(reference_groups or {})
    features = []
    names = list(cols)
    combos = [(name,) for name in names]
    if intersectional and len(names) >= 2:
        combos += [c for r in range(2, len(names) + 1) for c in itertools.combinations(names, r)]
    for combo in combos:
        labels = [None if any(cols[f][i] is None for f in combo)
                  else tuple(cols[f][i] for f in combo) for i in range(n)]
        counts = _cells(y_true, pred, labels)
        if len(counts) < 2:
            raise LedgerError("INVALID_ARGUMENT",
                              f"fairness_snapshot: feature '{' x '.join(combo)}' has fewer "
                              "than two groups")
        name = " x ".join(combo)
        if name in reference_groups:
            ref = reference_groups[name]
        elif len(combo) > 1 and all(f in reference_groups for f in combo):
            ref = " x ".join(reference_groups[f] for f in combo)
        else:
            ref = " x ".join(max(counts, key=lambda g: (sum(counts[g]), g)))
        if ref not in {" x ".join(g) for g in counts}:
            raise LedgerError("INVALID_ARGUMENT", f"fairness_snapshot: reference group '{ref}'"
                                                  f" is not a group of feature '{name}'")
        cells = [{"group": list(g), "tp": str(c[0]), "fp": str(c[1]), "tn": str(c[2]),
                  "fn": str(c[3])} for g, c in sorted(counts.items())]
        features.append({"name": name, "cells": cells, "reference_group": ref})
    unknown = sum(1 for i in range(n) if any(cols[f][i] is None for f in names))
    digest = evaluation_dataset_sha256
    if isinstance(digest, str):
        digest = bytes.fromhex(digest)
    if len(digest) != 32:
        raise LedgerError("INVALID_ARGUMENT", "fairness_snapshot: evaluation_dataset_sha256 "
                                              "must be 32 bytes")
    population = {"sampling": _SAMPLING.get(sampling, sampling)}
    for k, v in (("deployer", deployer), ("region", region),
                 ("sampling_method", sampling_method)):
        if v:
            population[k] = v
    if population_size is not None:
        population["size"] = str(population_size)
    body = {
        "model_version": model_version,
        "evaluation_dataset_sha256": _b64(digest),
        "decision_threshold": float(decision_threshold),
        "label_window": {"start_ms": str(label_window[0]), "end_ms": str(label_window[1])},
        "decision_window": {"start_ms": str(decision_window[0]),
                            "end_ms": str(decision_window[1])},
        "features": features,
        "favourable_outcome": favourable_outcome,
        "membership_source": _MEMBERSHIP.get(membership_source, membership_source),
        "share_unknown": unknown / n if n else 0.0,
        "positive_label": positive_label,
        "positive_is_favourable": bool(positive_is_favourable),
        "method_version": method_version,
        "population": population,
    }
    if plan_event_id:
        pid = bytes.fromhex(plan_event_id) if isinstance(plan_event_id, str) else plan_event_id
        body["plan_event_id"] = _b64(pid)
        body["plan_metric_id"] = plan_metric_id
    e = _envelope("FairnessSnapshot", organisation, occurred_at_ms, system)
    e["fairness_snapshot"] = body
    return e


def _front_matter(text):
    import yaml
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise LedgerError("INVALID_ARGUMENT", "model card: front matter is not closed by ---")
    meta = yaml.safe_load(text[3:end]) or {}
    if not isinstance(meta, dict):
        raise LedgerError("INVALID_ARGUMENT", "model card: front matter is not a mapping")
    return meta, text[end + 4:]


def _section(body, *titles):
    """The text under the first Markdown heading whose title is one of `titles`."""
    lines, out, on = body.split("\n"), [], False
    for line in lines:
        if line.startswith("#"):
            if on:
                break
            on = line.lstrip("#").strip().lower() in titles
            continue
        if on:
            out.append(line)
    return "\n".join(out).strip()


def _metrics(meta):
    out = []
    for model in meta.get("model-index") or []:
        for result in model.get("results") or []:
            ds = result.get("dataset") or {}
            for m in result.get("metrics") or []:
                metric = {"name": str(m.get("name") or m.get("type") or "")}
                if isinstance(m.get("value"), (int, float)):
                    metric["value"] = float(m["value"])
                if ds.get("name") or ds.get("type"):
                    metric["dataset"] = str(ds.get("name") or ds.get("type"))
                out.append(metric)
    return out


def release_from_model_card(path, *, artifact_sha256=None, artifact_path=None, version=None,
                            previous_version="", system=None, organisation=None,
                            occurred_at_ms=None, substantial_modification=False,
                            modification_rationale=""):
    """A ModelVersionReleased from a Hugging Face style model card (README.md with YAML front
    matter): license, base_model, datasets, model-index metrics; intended use, limitations
    and out-of-scope uses from the card's sections ("Intended uses", "Limitations",
    "Out-of-scope use") or the front matter keys intended_use, limitations, out_of_scope_uses;
    the card's SHA-256. `version`, `system` and `organisation` default to the front matter's
    version, system and organisation keys. The artifact's SHA-256 is given, or computed from
    `artifact_path`, or read from the front matter's artifact_sha256 (hex)."""
    raw = pathlib.Path(path).read_bytes()
    meta, body = _front_matter(raw.decode("utf-8"))
    version = version or meta.get("version")
    if not version:
        raise LedgerError("INVALID_ARGUMENT", "model card: no version (give version=)")
    if artifact_path is not None:
        h = hashlib.sha256()
        with open(artifact_path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        artifact_sha256 = h.digest()
    artifact_sha256 = artifact_sha256 or meta.get("artifact_sha256")
    if isinstance(artifact_sha256, (str, int)):  # YAML reads an all-digit hex as a number
        try:
            artifact_sha256 = bytes.fromhex(str(artifact_sha256))
        except ValueError:
            raise LedgerError("INVALID_ARGUMENT", "model card: artifact_sha256 is not hex") \
                from None
    if not artifact_sha256 or len(artifact_sha256) != 32:
        raise LedgerError("INVALID_ARGUMENT", "model card: artifact_sha256 must be 32 bytes "
                                              "(give artifact_sha256= or artifact_path=)")
    datasets = meta.get("datasets") or []
    if isinstance(datasets, str):
        datasets = [datasets]
    base = meta.get("base_model") or ""
    if isinstance(base, list):
        base = base[0] if base else ""
    rel = {"version": str(version), "artifact_sha256": _b64(artifact_sha256),
           "model_card_sha256": _b64(hashlib.sha256(raw).digest())}
    texts = {
        "intended_use": meta.get("intended_use") or _section(
            body, "intended uses", "intended use", "intended uses & limitations", "uses",
            "direct use"),
        "limitations": meta.get("limitations") or _section(
            body, "limitations", "bias, risks, and limitations", "risks and limitations"),
        "out_of_scope_uses": meta.get("out_of_scope_uses") or _section(
            body, "out-of-scope use", "out-of-scope uses", "out of scope uses"),
    }
    for k, v in (("previous_version", previous_version or meta.get("previous_version")),
                 ("license", meta.get("license")), ("base_model", base),
                 ("substantial_modification", bool(substantial_modification) or None),
                 ("modification_rationale", modification_rationale), *texts.items()):
        if v:
            rel[k] = v if isinstance(v, bool) else str(v)
    if datasets:
        rel["datasets"] = [str(d) for d in datasets]
    metrics = _metrics(meta)
    if metrics:
        rel["metrics"] = metrics
    e = _envelope("ModelVersionReleased", organisation or meta.get("organisation") or "",
                  occurred_at_ms, system or meta.get("system"))
    e["model_version_released"] = rel
    return e
