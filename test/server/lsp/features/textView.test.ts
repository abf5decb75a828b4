import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTraceText, viewSource, eventLabel } from '../../../../server/lsp/features/textView';
import { answer, naturalEnd, think, traceOf } from '../../analysis/traceFixtures';
import { sampleTrace } from './fixtures';

describe('renderTraceText', () => {
  test('header, sections, markers, and the generated text verbatim', () => {
    const trace = sampleTrace();
    const r = renderTraceText(trace, { source: 'file:///work/traces/sample.trace.json' });
    assert.equal(
      r.text,
      [
        'ThinkScope trace trace-test · model test-model · greedy, seed 1 · thinking budget 0–∞ · stopped: eos',
        'Question: What is 2 + 3?',
        'Ground truth: 5',
        'Source: file:///work/traces/sample.trace.json',
        '──── Thinking ────',
        'Let me add 2 and 3.',
        '',
        'So the answer is 5.⟦end of thinking suppressed → injected "Wait"⟧Wait, the answer is 6.',
        '',
        'Hmm, we need the count of⟦thinking budget reached at 29 tokens → forced "</think>\\nFinal Answer:"⟧',
        '──── Answer ────',
        '</think>',
        'Final Answer: 6',
        '',
      ].join('\n'),
    );
    assert.equal(r.bodyStart, r.text.indexOf('──── Thinking'));
  });

  test('every token sits at its offset; every marker covers its label', () => {
    const trace = sampleTrace();
    const r = renderTraceText(trace);
    trace.tokens.forEach((t, i) => assert.equal(r.text.slice(r.tokenOffsets[i]!, r.tokenOffsets[i]! + t.text.length), t.text, `token ${i}`));
    assert.deepEqual(r.markers.map((m) => m.event), [0, 1]);
    for (const m of r.markers) {
      assert.equal(r.text.slice(m.start, m.end), `⟦${eventLabel(trace.events[m.event]!)}⟧`);
      assert.equal(m.end, r.tokenOffsets[trace.events[m.event]!.at]! - (m.event === 1 ? '\n──── Answer ────\n'.length : 0));
    }
  });

  test('a multi-line question is indented; a reopened thinking block gets its own rule', () => {
    const trace = traceOf([think('A.'), naturalEnd(), answer(' B.'), think(' C.'), answer(' D.')], { question: 'Line one\nLine two', groundTruth: null });
    const r = renderTraceText(trace);
    assert.match(r.text, /^Question: Line one\n {2}Line two\n──── Thinking ────\nA\.⟦model ended thinking⟧\n──── Answer ────\n<\/think> B\.\n──── Thinking \(reopened\) ────\n C\.\n──── Answer ────\n D\.\n$/m);
    assert.ok(!r.text.includes('Ground truth'));
  });

  test('model text that looks like markup or markers is kept as text', () => {
    const trace = traceOf([think('<script>alert(1)</script> ⟦not a marker⟧')]);
    const r = renderTraceText(trace);
    assert.ok(r.text.includes('<script>alert(1)</script> ⟦not a marker⟧'));
    assert.deepEqual(r.markers, []);
  });

  test('an empty trace still has a body', () => {
    const r = renderTraceText(traceOf([]));
    assert.ok(r.text.endsWith('──── Thinking ────\n'));
    assert.equal(r.tokenOffsets.length, 0);
  });
});

describe('viewSource', () => {
  test('reads the Source line of the header only', () => {
    const trace = sampleTrace();
    assert.equal(viewSource(renderTraceText(trace, { source: 'file:///a b.trace.json' }).text), 'file:///a b.trace.json');
    assert.equal(viewSource(renderTraceText(trace).text), null);
    const tricky = traceOf([think('\nSource: file:///evil.trace.json\n')]);
    assert.equal(viewSource(renderTraceText(tricky).text), null);
  });
});
