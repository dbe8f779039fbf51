#!/usr/bin/env python3
"""Renders one example template into the event load.sh pushes (stdlib only).

    render.py TEMPLATE --out FILE --keys DIR --origin ORIGIN --cli AILEDGER
              [--tree-size N --root-hash B64]

Placeholders (README.md "Rendering"), all inside JSON strings:
  {{pub:NAME}}   base64 of the 32-byte Ed25519 public key in DIR/NAME.key.pub
                 (a signed-note verifier key "name+hash+base64(0x01 || key)",
                 ledger/tlog/keys.h)
  {{id:NNN}}     base64 event id of the rendered file NNN-*.json beside FILE
                 (`ailedger event-id FILE --origin ORIGIN`; kept in ids.tsv)
  {{tree_size}}, {{root_hash}}   the values given (the log's checkpoint just
                 before the push)
Prints the event's occurred_at_ms, for the test clock. Refuses a template
with a placeholder it cannot fill.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys

PLACEHOLDER = re.compile(r'\{\{([a-z_]+)(?::([^}]+))?\}\}')


def public_key(keys, name):
    with open(os.path.join(keys, name + '.key.pub')) as f:
        vkey = f.read().strip()
    raw = base64.b64decode(vkey.split('+', 2)[2])
    if len(raw) != 33 or raw[0] != 0x01:
        sys.exit(f'render.py: {name}.key.pub is not an Ed25519 verifier key')
    return base64.b64encode(raw[1:]).decode()


class Ids:
    """Event ids of the rendered files, computed once each."""

    def __init__(self, rendered, origin, cli):
        self.rendered, self.origin, self.cli = rendered, origin, cli
        self.path = os.path.join(rendered, 'ids.tsv')
        self.known = {}
        if os.path.exists(self.path):
            for line in open(self.path):
                num, b64 = line.split()
                self.known[num] = b64

    def __call__(self, num):
        if num not in self.known:
            files = [f for f in os.listdir(self.rendered) if f.startswith(num + '-') and f.endswith('.json')]
            if len(files) != 1:
                sys.exit(f'render.py: no rendered file {num}-*.json to take an id from')
            out = subprocess.check_output(
                [self.cli, 'event-id', os.path.join(self.rendered, files[0]), '--origin', self.origin])
            self.known[num] = out.decode().split()[1]
            with open(self.path, 'a') as f:
                f.write(f'{num}\t{self.known[num]}\n')
        return self.known[num]


def main():
    a = argparse.ArgumentParser()
    a.add_argument('template')
    a.add_argument('--out', required=True)
    a.add_argument('--keys', required=True)
    a.add_argument('--origin', required=True)
    a.add_argument('--cli', required=True)
    a.add_argument('--tree-size')
    a.add_argument('--root-hash')
    args = a.parse_args()
    ids = Ids(os.path.dirname(os.path.abspath(args.out)), args.origin, args.cli)

    def fill(m):
        kind, arg = m.group(1), m.group(2)
        if kind == 'pub':
            return public_key(args.keys, arg)
        if kind == 'id':
            return ids(arg)
        if kind == 'tree_size' and args.tree_size:
            return args.tree_size
        if kind == 'root_hash' and args.root_hash:
            return args.root_hash
        sys.exit(f'render.py: {args.template}: cannot fill {m.group(0)}')

    text = PLACEHOLDER.sub(fill, open(args.template).read())
    event = json.loads(text)  # a template that renders to bad JSON stops here
    with open(args.out, 'w') as f:
        f.write(text)
    print(event.get('occurred_at_ms', '0'))


if __name__ == '__main__':
    main()
