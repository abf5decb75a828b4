import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { codeSpan, formatProbability } from '../../../../server/lsp/features/hover';
import { docOf, JSON_URI, jsonText, positionOf, sampleTrace, textAt, tokenLine, VIEW_URI } from './fixtures';

const markdown = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('hover on a .trace.json file', () => {
  const trace = sampleTrace();
  const json = jsonText(trace);
  const features = createTraceLanguageFeatures();
  const doc = docOf(JSON_URI, json);

  test('over a token: text, probability, entropy, alternatives, step and candidate', () => {
    // Token 12 is " 5" in "So the answer is 5.": p = 0.5 + 0.1·(12 mod 5) = 0.7, entropy 0.25·(12 mod 4) = 0.
    const h = features.hover(doc, { line: tokenLine(json, 12), character: 30 });
    assert.equal(
      markdown(h),
      [
        '**Token 12** · thinking · sampled by the model · step 2',
        '',
        '`" 5"` (id 1012)',
        '',
        'probability **70.0%** (logprob -0.357) · entropy **0.00** nats',
        '',
        'Top alternatives:',
        '- `" 5"` 70.0% ← this token',
        '- `" so"` 15.0%',
        '',
        'Answer candidate (answer-is): `"5"` — correct',
      ].join('\n'),
    );
    // The hover's range is the token's text inside its JSON string.
    assert.equal(textAt(json, h!.range!), ' 5');
  });

  test('anywhere on the token object, including its alternatives, means that token', () => {
    const line = tokenLine(json, 3);
    const lineText = json.split('\n')[line]!;
    for (const character of [lineText.indexOf('{'), lineText.indexOf('"top"'), lineText.lastIndexOf('}')]) {
      assert.match(markdown(features.hover(doc, { line, character })), /^\*\*Token 3\*\*/);
    }
  });

  test('over an injected token: the intervention that put it there', () => {
    const h = features.hover(doc, { line: tokenLine(json, 14), character: 20 });
    const md = markdown(h);
    assert.match(md, /^\*\*Token 14\*\* · thinking · injected · step 3 \(Wait\)/);
    assert.ok(md.includes('**Intervention: end of thinking suppressed** · event 1 at token 14'));
    assert.ok(md.includes('- The model wanted `"</think>"` (id 2) with probability 90.0%.'));
    assert.ok(md.includes('- Injected in its place: `"Wait"`.'));
    assert.ok(!md.includes('probability **'), 'injected tokens have no probability of their own');
  });

  test('over a forced token in the middle of the forced text: its intervention', () => {
    const md = markdown(features.hover(doc, { line: tokenLine(json, 31), character: 20 }));
    assert.match(md, /forced by the budget/);
    assert.ok(md.includes('**Intervention: thinking budget reached** · event 2 at token 29'));
    assert.ok(md.includes('- Forced in its place: `"</think>\\nFinal Answer:"`.'));
    assert.ok(md.includes('- Thinking tokens at that point: 29.'));
  });

  test('over an event object', () => {
    const h = features.hover(doc, positionOf(json, '"kind":"suppressed-end"'));
    assert.match(markdown(h), /^\*\*Intervention: end of thinking suppressed\*\* · event 1 at token 14/);
    assert.match(textAt(json, h!.range!), /^\{"kind":"suppressed-end".*\}$/);
  });

  test('over the header: nothing', () => {
    assert.equal(features.hover(doc, positionOf(json, '"question"')), null);
    assert.equal(features.hover(doc, { line: 0, character: 0 }), null);
  });
});

describe('hover on the text view', () => {
  const trace = sampleTrace();
  const features = createTraceLanguageFeatures();
  const text = features.renderTextView(trace, JSON_URI).text;
  features.setTextViewTrace(VIEW_URI, trace);
  const doc = docOf(VIEW_URI, text, 1, 'thinkscope-trace');

  test('over model text: the token', () => {
    const h = features.hover(doc, positionOf(text, ' add', 0, 1));
    assert.match(markdown(h), /^\*\*Token 2\*\* · thinking · sampled by the model · step 1/);
    assert.equal(textAt(text, h!.range!), ' add');
  });

  test('over a marker: the intervention', () => {
    const h = features.hover(doc, positionOf(text, '⟦thinking budget', 0, 3));
    assert.match(markdown(h), /^\*\*Intervention: thinking budget reached\*\*/);
    assert.match(textAt(text, h!.range!), /^⟦thinking budget reached at 29 tokens → forced .*⟧$/);
  });

  test('over the header: nothing', () => {
    assert.equal(features.hover(doc, { line: 1, character: 3 }), null);
  });
});

describe('hover helpers', () => {
  test('probabilities', () => {
    assert.equal(formatProbability(Math.log(0.5)), '50.0%');
    assert.equal(formatProbability(Math.log(0.0123)), '1.2%');
    assert.equal(formatProbability(Math.log(1e-7)), '1.0e-5%');
  });

  test('model text as code, escapes visible and backticks fenced', () => {
    assert.equal(codeSpan('a\nb'), '`"a\\nb"`');
    assert.equal(codeSpan('x`y'), '`` "x`y" ``');
    assert.equal(codeSpan('<img onerror=x>'), '`"<img onerror=x>"`');
  });
});
