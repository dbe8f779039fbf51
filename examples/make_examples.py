#!/usr/bin/env python3
# How the example templates were made: writes every NNN-<key>-<Type>.json of
# both profiles (Python 3, stdlib only; no build needed). Edit the stories
# here and run it again rather than editing the files by hand:
#
#   python3 examples/make_examples.py
#
# The files are TEMPLATES: what depends on the load (keys are made at load
# time, event ids depend on them, a report anchors the log's real root) is a
# placeholder that examples/render.py fills in just before load.sh pushes the
# file (see README.md "Rendering"):
#   {{pub:NAME}}    base64 of the 32-byte Ed25519 public key of NAME.key
#   {{id:NNN}}      base64 event id of rendered file NNN of the same profile
#   {{tree_size}}   the log's size, and {{root_hash}} its root, just before
#                   the push (the report's anchor)
#
# Files are numbered in the order the events occurred (times in the
# organisation's own time zone, at the hour they happened), except a
# backfilled record, which sits where it was recorded and says why
# (`backfill_reason`).
import base64
import datetime
import hashlib
import json
import os
import sys
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import aia  # noqa: E402

def b64(b):
    return base64.b64encode(b).decode()


def digest(text):
    """SHA-256 of a placeholder document's text (the examples ship no
    documents: README "Digests")."""
    return b64(hashlib.sha256(text.encode()).digest())


def pub(name):
    return '{{pub:%s}}' % name


class Ev:
    def __init__(self, profile, key, type_, when, recorded):
        self.profile, self.key, self.type, self.when = profile, key, type_, when
        self.recorded = recorded if recorded is not None else when
        self.num = None
        self.doc = None

    def ref(self):
        return Ref(self)


class Ref:
    def __init__(self, ev):
        self.ev = ev


def body_field(type_):
    f = ''.join('_' + c.lower() if c.isupper() else c for c in type_).lstrip('_')
    return {'societal_metric_recorded': 'societal_metric',
            'regulator_notification_sent': 'regulator_notification'}.get(f, f)


class Profile:
    def __init__(self, d, origin, org, tz, key_orgs):
        self.d, self.origin, self.org = d, origin, org
        self.tz = zoneinfo.ZoneInfo(tz)
        self.key_orgs = key_orgs
        self.events = []

    def t(self, y, m, d, h=0, mi=0):
        """Unix ms of a local time in the organisation's time zone."""
        dt = datetime.datetime(y, m, d, h, mi, tzinfo=self.tz)
        return int(dt.timestamp() * 1000)

    def add(self, key, type_, when, body, subjects=(), org=None, refs=(), evidence=(),
            supersedes=None, supersedes_reason=None, backfill=None):
        """backfill: (recorded_ms, reason) for a record made long after it
        occurred; it is numbered at recorded_ms."""
        ev = Ev(self, key, type_, when, backfill[0] if backfill else None)
        doc = {"event_type": type_, "schema_version": 2,
               "organisation": org or self.key_orgs.get(key) or self.org}
        if subjects:
            doc["subjects"] = [{"kind": k, "id": i} for k, i in subjects]
        doc["occurred_at_ms"] = str(when)
        if evidence:
            doc["evidence"] = list(evidence)
        if refs:
            doc["framework_refs"] = list(refs)
        if supersedes:
            doc["supersedes"] = Ref(supersedes)
            doc["supersedes_reason"] = supersedes_reason
        if backfill:
            doc["backfill_reason"] = backfill[1]
        doc[body_field(type_)] = body
        ev.doc = doc
        self.events.append(ev)
        return ev

    def approve(self, key, ev, when, authority, role, decision="DECISION_APPROVE", conditions=None):
        body = {"approves": Ref(ev), "decision": decision, "authority": authority,
                "authority_event_id": Ref(role)}
        if conditions:
            body["conditions"] = conditions
        return self.add(key, 'Approval', when, body)

    def write(self):
        os.makedirs(self.d, exist_ok=True)
        for f in os.listdir(self.d):
            if f.endswith('.json'):
                os.remove(os.path.join(self.d, f))
        order = sorted(self.events, key=lambda e: e.recorded)  # stable
        for n, ev in enumerate(order, 1):
            ev.num = n

        def conv(x, owner):
            if isinstance(x, Ref):
                assert x.ev.num < owner.num, f'{owner.num} cites later {x.ev.num}'
                return '{{id:%03d}}' % x.ev.num
            if isinstance(x, dict):
                return {k: conv(v, owner) for k, v in x.items()}
            if isinstance(x, (list, tuple)):
                return [conv(v, owner) for v in x]
            return x

        for ev in order:
            fn = f"{ev.num:03d}-{ev.key}-{ev.type}.json"
            with open(os.path.join(self.d, fn), 'w') as f:
                json.dump(conv(ev.doc, ev), f, indent=2, ensure_ascii=False)
                f.write('\n')
        return len(order)


def period(a, b):
    return {"start_ms": str(a), "end_ms": str(b)}


def cells(groups):
    """Confusion counts from (group, n, selection rate, precision, share of
    the non-selected that would have repaid): a positive prediction is the
    favourable decision (a limit granted)."""
    out = []
    for g, n, sr, ppv, miss in groups:
        sel = round(n * sr)
        tp = round(sel * ppv)
        fn = round((n - sel) * miss)
        out.append({"group": [g], "tp": str(tp), "fp": str(sel - tp),
                    "tn": str(n - sel - fn), "fn": str(fn)})
    return out


import make_aurora  # noqa: E402
import make_corner_shop  # noqa: E402

if __name__ == '__main__':
    P = make_aurora.build(sys.modules[__name__])
    D = make_corner_shop.build(sys.modules[__name__])
    for p in (P, D):
        print(p.d, p.write())
