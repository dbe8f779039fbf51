#!/usr/bin/env python3
"""The Canada AIA survey (v1.0.1, canada-ca/aia-eia-js, MIT) for the examples.

make_examples.py uses it to write a complete, valid answer set for one phase
of the survey and the score the tool gives it (DOMAIN.md 1.2, store.ts
calculateFinalScore). Run it alone to check the scorer against the test
vector:

    python3 examples/aia.py          # prints the three cases of the vector

Visibility follows the survey's `visibleIf` expressions on the question, its
panel and its page; a question is answered only when visible, so nothing the
phase hides is answered.
"""
import hashlib
import json
import math
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
CANDIDATES = [
    os.path.join(HERE, '..', 'data', 'canada-aia'),
    '/work/shared/domain/canada-aia',
]
QUESTION_TYPES = ('radiogroup', 'dropdown', 'checkbox', 'text', 'comment')


def data_dir():
    for d in CANDIDATES:
        if os.path.exists(os.path.join(d, 'survey-enfr.json')):
            return d
    raise SystemExit('aia.py: survey-enfr.json not found in ' + ', '.join(CANDIDATES))


def survey_path():
    return os.path.join(data_dir(), 'survey-enfr.json')


def survey_sha256():
    with open(survey_path(), 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


# --- visibleIf: the forms the survey uses ({q} = "v", {q} contains "v" or
# ["v"], and, or, parentheses).
TOKEN = re.compile(r'\s*(\{[^}]+\}|"[^"]*"|\[[^\]]*\]|\(|\)|=|contains\b|and\b|or\b)')


def _tokens(expr):
    pos, out = 0, []
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError('visibleIf: cannot read ' + expr[pos:])
        out.append(m.group(1))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    return out


def visible(expr, answers, single=frozenset()):
    """SurveyJS semantics: `contains` on a one-value question (radiogroup,
    dropdown: names in `single`) is a substring test, on a checkbox a
    membership test."""
    if not expr:
        return True
    toks = _tokens(expr)
    i = 0

    def values(name):
        return answers.get(name[1:-1], [])

    def atom():
        nonlocal i
        if toks[i] == '(':
            i += 1
            v = disj()
            assert toks[i] == ')'
            i += 1
            return v
        name, op, lit = toks[i], toks[i + 1], toks[i + 2]
        i += 3
        lits = json.loads(lit) if lit.startswith('[') else [lit[1:-1]]
        have = values(name)
        if op == '=':
            return len(have) == 1 and have[0] == lits[0]
        if name[1:-1] in single:
            return bool(have) and all(l in have[0] for l in lits)
        return all(l in have for l in lits)

    def conj():
        nonlocal i
        v = atom()
        while i < len(toks) and toks[i] == 'and':
            i += 1
            v = atom() and v
        return v

    def disj():
        nonlocal i
        v = conj()
        while i < len(toks) and toks[i] == 'or':
            i += 1
            v = conj() or v
        return v

    return disj()


def questions(survey):
    """Every question in survey order, with the conditions of its page and
    panels and the score type of its name or panel (-RS, -MS, else none)."""
    out = []

    def walk(elements, conds, panel_kind):
        for e in elements:
            c = conds + ([e['visibleIf']] if e.get('visibleIf') else [])
            name = e.get('name', '')
            kind = 'RS' if name.endswith('-RS') else 'MS' if name.endswith('-MS') else \
                'NS' if name.endswith('-NS') else None
            if e.get('type') == 'panel':
                walk(e.get('elements', []), c, kind or panel_kind)
            elif e.get('type') in QUESTION_TYPES:
                out.append(dict(name=name, type=e['type'], conds=c,
                                kind=kind or panel_kind,
                                choices=[ch['value'] if isinstance(ch, dict) else ch
                                         for ch in e.get('choices', []) or []],
                                required=bool(e.get('isRequired'))))

    for p in survey['pages']:
        walk(p.get('elements', []), [p['visibleIf']] if p.get('visibleIf') else [], None)
    return out


def item_value(v):
    m = re.search(r'-(\d+)$', v)
    return int(m.group(1)) if m else 0


def score(survey, answers):
    """[raw, mitigation, current, level] as store.ts calculateFinalScore."""
    raw = mit = max_raw = max_mit = 0
    for q in questions(survey):
        if q['kind'] not in ('RS', 'MS') or q['type'] not in ('radiogroup', 'dropdown', 'checkbox'):
            continue
        vals = [item_value(c) for c in q['choices']]
        top = sum(vals) if q['type'] == 'checkbox' else max(vals, default=0)
        got = sum(item_value(v) for v in answers.get(q['name'], []))
        if q['kind'] == 'RS':
            raw, max_raw = raw + got, max_raw + top
        else:
            mit, max_mit = mit + got, max_mit + top
    current = math.floor(0.85 * raw + 0.5) if mit >= 0.8 * (max_mit / 2) else raw
    p = current / max_raw
    level = 1 if p <= 0.25 else 2 if p <= 0.5 else 3 if p <= 0.75 else 4
    return dict(raw=raw, mitigation=mit, current=current, level=level,
                max_raw=max_raw, max_mit=max_mit)


def complete_answers(survey, chosen, text, skip=()):
    """A complete answer set: every question visible under the answers so far
    answered, in survey order, with `chosen[name]` (a list of choice values)
    or, for a choice question not in `chosen`, its first choice, and for text
    and comment questions `text(name)`. Hidden questions stay unanswered, and
    so do those in `skip` (a question no true answer fits)."""
    answers = {}
    single = {q['name'] for q in questions(survey) if q['type'] in ('radiogroup', 'dropdown')}
    for q in questions(survey):
        if q['name'] in skip or not all(visible(c, answers, single) for c in q['conds']):
            continue
        if q['type'] in ('text', 'comment'):
            answers[q['name']] = [text(q['name'])]
            continue
        vals = chosen.get(q['name'], q['choices'][:1])
        assert vals, q['name']
        assert all(v in q['choices'] for v in vals), (q['name'], vals, q['choices'])
        assert q['type'] == 'checkbox' or len(vals) == 1, q['name']
        answers[q['name']] = list(vals)
    for name in chosen:
        assert name in answers, 'chosen answer to a hidden or unknown question: ' + name
    return answers


def _check_vector():
    d = data_dir()
    survey = json.load(open(os.path.join(d, 'survey-enfr.json')))
    vec = json.load(open(os.path.join(d, 'aia-scoring-test-vector.json')))
    risk = {k: v if isinstance(v, list) else [v] for k, v in vec['risk_answers'].items()}
    print('case 1', score(survey, risk))
    design = {}
    for q in questions(survey):
        if q['kind'] == 'MS' and 'Design' in q['name'] and q['type'] != 'comment' \
                and not q['name'].startswith('consultation') and q['choices']:
            if q['type'] == 'checkbox':
                design[q['name']] = q['choices']
            else:
                design[q['name']] = [max(q['choices'], key=item_value)]
    print('case 2', score(survey, {**risk, **design}))
    change = {k: v if isinstance(v, list) else [v]
              for k, v in vec['case_3_mitigation_just_below']['change_from_case_2'].items()}
    print('case 3', score(survey, {**risk, **design, **change}))


if __name__ == '__main__':
    _check_vector()
