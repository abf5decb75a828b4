import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { think, traceOf } from '../../analysis/traceFixtures';
import { docOf, JSON_URI, jsonText, sampleTrace, tokenLine, VIEW_URI } from './fixtures';

describe('code lenses', () => {
  test('"Step from here" and "Fork here" at every step start, with { uri, token }', () => {
    const trace = sampleTrace();
    const json = jsonText(trace);
    const lenses = createTraceLanguageFeatures().codeLenses(docOf(JSON_URI, json));
    const starts = [0, 8, 14, 22, 29];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments]),
      starts.flatMap((token) => [
        [tokenLine(json, token), 'Step from here', 'thinkscope.stepFromHere', [{ uri: JSON_URI, token }]],
        [tokenLine(json, token), 'Fork here', 'thinkscope.forkHere', [{ uri: JSON_URI, token }]],
      ]),
    );
  });

  test('one pair per line when several steps start on one line of the text view', () => {
    const trace = traceOf([think('One. Wait, two. Hmm, three.\n\nFour.')]);
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    features.setTextViewTrace(VIEW_URI, trace);
    const lenses = features.codeLenses(docOf(VIEW_URI, text, 1, 'thinkscope-trace'));
    // Steps start at tokens 0 ("One"), 2 (" Wait"), 6 (" Hmm") on one line and 11 ("Four") on another.
    assert.deepEqual(
      lenses.map((l) => (l.command!.arguments![0] as { token: number }).token),
      [0, 0, 11, 11],
    );
  });
});
