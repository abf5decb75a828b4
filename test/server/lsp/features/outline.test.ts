import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol } from 'vscode-languageserver';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { answer, naturalEnd, think, traceOf } from '../../analysis/traceFixtures';
import { docOf, JSON_URI, jsonText, sampleTrace, textAt, tokenLine, VIEW_URI } from './fixtures';

/** A range contains another (positions compared line, then character). */
function contains(outer: DocumentSymbol['range'], inner: DocumentSymbol['range']): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

describe('document symbols', () => {
  const trace = sampleTrace();
  const json = jsonText(trace);

  test('steps nested under Thinking and Answer, with cue names and previews', () => {
    const symbols = createTraceLanguageFeatures().documentSymbols(docOf(JSON_URI, json));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.kind, s.children!.map((c) => [c.name, c.detail, c.kind])]),
      [
        [
          'Thinking',
          '29 tokens · 4 steps',
          3,
          [
            ['Step 1', 'Let me add 2 and 3.', 15],
            ['Step 2', 'So the answer is 5.', 15],
            ['Step 3 · Wait', 'Wait, the answer is 6.', 24],
            ['Step 4 · Hmm', 'Hmm, we need the count of', 24],
          ],
        ],
        ['Answer', '9 tokens · 1 step', 3, [['Step 5', '</think> Final Answer: 6', 15]]],
      ],
    );
  });

  test('ranges span each step’s token lines; selection ranges are the first token’s text', () => {
    const symbols = createTraceLanguageFeatures().documentSymbols(docOf(JSON_URI, json));
    const steps = symbols.flatMap((s) => s.children!);
    // Step 3 is tokens 14–21.
    assert.equal(steps[2]!.range.start.line, tokenLine(json, 14));
    assert.equal(steps[2]!.range.end.line, tokenLine(json, 21));
    assert.equal(textAt(json, steps[2]!.selectionRange), 'Wait');
    for (const s of symbols) {
      for (const c of s.children!) {
        assert.ok(contains(s.range, c.range), `${c.name} inside ${s.name}`);
        assert.ok(contains(c.range, c.selectionRange), `${c.name} selection inside its range`);
      }
    }
  });

  test('a reopened thinking block gets its own container', () => {
    const reopened = { ...think(' C.'), event: { kind: 'thinking-reopened' as const } };
    const t = traceOf([think('A.'), naturalEnd(), answer(' B.'), reopened, answer(' D.')]);
    const names = createTraceLanguageFeatures().documentSymbols(docOf(JSON_URI, jsonText(t))).map((s) => s.name);
    assert.deepEqual(names, ['Thinking', 'Answer', 'Thinking (reopened)', 'Answer']);
  });

  test('on the text view the ranges are the rendered text of the steps', () => {
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    features.setTextViewTrace(VIEW_URI, trace);
    const steps = features.documentSymbols(docOf(VIEW_URI, text, 1, 'thinkscope-trace')).flatMap((s) => s.children!);
    assert.deepEqual(
      steps.map((s) => textAt(text, s.range)),
      [
        'Let me add 2 and 3.',
        'So the answer is 5.',
        'Wait, the answer is 6.',
        'Hmm, we need the count of',
        '</think>\nFinal Answer: 6',
      ],
    );
  });

  test('a trace without tokens has no symbols', () => {
    assert.deepEqual(createTraceLanguageFeatures().documentSymbols(docOf(JSON_URI, jsonText(traceOf([])))), []);
  });
});

describe('folding ranges', () => {
  test('one per phase run and one per step spanning more than a line, no duplicates', () => {
    const trace = sampleTrace();
    const json = jsonText(trace);
    const folds = createTraceLanguageFeatures().foldingRanges(docOf(JSON_URI, json));
    const line = (i: number) => tokenLine(json, i);
    assert.deepEqual(
      folds.map((f) => [f.startLine, f.endLine, f.kind]),
      [
        [line(0), line(28), 'region'], // Thinking
        [line(0), line(7), 'region'],
        [line(8), line(13), 'region'],
        [line(14), line(21), 'region'],
        [line(22), line(28), 'region'],
        [line(29), line(37), 'region'], // Answer, a single step
      ],
    );
  });

  test('steps on one line of the text view do not fold', () => {
    const trace = traceOf([think('One. Wait, two.')]);
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    features.setTextViewTrace(VIEW_URI, trace);
    assert.deepEqual(features.foldingRanges(docOf(VIEW_URI, text, 1, 'thinkscope-trace')), []);
  });
});
