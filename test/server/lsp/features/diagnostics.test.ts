import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { think, traceOf } from '../../analysis/traceFixtures';
import { docOf, JSON_URI, jsonText, positionOf, sampleTrace, textAt, tokenLine, VIEW_URI } from './fixtures';

describe('diagnostics on a .trace.json file', () => {
  const trace = sampleTrace();
  const json = jsonText(trace);

  test('the answer flip after the injected Wait and the forced cut mid-sentence, at their tokens', () => {
    const features = createTraceLanguageFeatures();
    const diagnostics = features.diagnostics(docOf(JSON_URI, json));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.source, d.range.start.line, textAt(json, d.range)]),
      [
        // After "Wait" (token 14) the answer goes from "5" (token 12) to "6" (token 19).
        ['answer-flip-after-wait', 2, 'thinkscope', tokenLine(json, 19), ' 6'],
        // The budget cut after " of" (token 28).
        ['forced-cut-mid-sentence', 3, 'thinkscope', tokenLine(json, 28), ' of'],
      ],
    );
    const flip = diagnostics[0]!;
    assert.equal(flip.message, 'After the injected “Wait” at token 14, the answer changes from “5” to “6”. It was correct before and is not after.');
    assert.deepEqual(
      flip.relatedInformation!.map((r) => [r.location.uri, textAt(json, r.location.range), r.message]),
      [
        [JSON_URI, 'Wait', 'Injected “Wait”'],
        [JSON_URI, ' 5', 'Answer before: “5”'],
      ],
    );
  });

  test('thinking long after the first correct answer, with thresholds from the settings', () => {
    // First correct: token 12 in step 2 (tokens 8–14); 29 − 14 = 15 thinking tokens after it (52%).
    const features = createTraceLanguageFeatures({ settings: { overthinkingMinTokens: 15 } });
    const d = features.diagnostics(docOf(JSON_URI, json)).find((x) => x.code === 'thinking-after-correct');
    assert.ok(d);
    assert.equal(d.message, 'A correct answer (“5”, matching the ground truth) appears at token 12 in step 2; thinking goes on for 15 more tokens (52% of 29 thinking tokens).');
    assert.equal(textAt(json, d.range), ' 5');
    features.updateSettings({ overthinkingMinTokens: 16 });
    assert.equal(features.diagnostics(docOf(JSON_URI, json)).find((x) => x.code === 'thinking-after-correct'), undefined);
  });

  test('a loop of repeated steps: a warning at the first repeat, related to the others', () => {
    // "Start here.\n\n" is tokens 0–3; each paragraph is 16 tokens: steps start at 4, 20 and 36.
    const para = 'Count fingers on both hands: raise two fingers, then three more fingers.\n\n';
    const looping = traceOf([think('Start here.\n\n'), think(para), think(para), think(para)]);
    const text = jsonText(looping);
    const diagnostics = createTraceLanguageFeatures().diagnostics(docOf(JSON_URI, text));
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0]!;
    assert.equal(d.code, 'repeated-steps');
    assert.equal(d.severity, 2);
    assert.match(d.message, /^Steps 2, 3 and 4 repeat each other/);
    assert.equal(d.range.start.line, tokenLine(text, 20));
    assert.equal(textAt(text, d.range), 'Count');
    assert.deepEqual(
      d.relatedInformation!.map((r) => r.location.range.start.line),
      [tokenLine(text, 4), tokenLine(text, 36)],
    );
  });

  test('invalid JSON: one error where the syntax breaks', () => {
    const broken = json.replace('"question": "What is 2 + 3?",', '"question": "What is 2 + 3?",,');
    const [d, ...rest] = createTraceLanguageFeatures().diagnostics(docOf(JSON_URI, broken));
    assert.equal(rest.length, 0);
    assert.equal(d!.code, 'invalid-trace');
    assert.equal(d!.severity, 1);
    assert.match(d!.message, /^Invalid JSON: /);
    assert.equal(d!.range.start.line, positionOf(broken, ',,').line);
  });

  test('not a valid trace: one error at the offending field', () => {
    const bad = json.replace('"source":"injected"', '"source":"someone"');
    const [d] = createTraceLanguageFeatures().diagnostics(docOf(JSON_URI, bad));
    assert.equal(d!.code, 'invalid-trace');
    assert.match(d!.message, /^Not a valid ThinkScope trace: tokens\[14\]\.source /);
    assert.equal(d!.range.start.line, tokenLine(bad, 14));
  });

  test('a future format version is refused with a clear message', () => {
    const future = json.replace('"version": 1,', '"version": 99,');
    const [d] = createTraceLanguageFeatures().diagnostics(docOf(JSON_URI, future));
    assert.equal(d!.code, 'invalid-trace');
    assert.match(d!.message, /version/);
  });
});

describe('diagnostics on the text view', () => {
  test('the same findings, on the rendered text', () => {
    const trace = sampleTrace();
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    features.setTextViewTrace(VIEW_URI, trace);
    const diagnostics = features.diagnostics(docOf(VIEW_URI, text, 1, 'thinkscope-trace'));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, textAt(text, d.range)]),
      [
        ['answer-flip-after-wait', ' 6'],
        ['forced-cut-mid-sentence', ' of'],
      ],
    );
  });

  test('a view without a known trace, and a view that no longer matches its trace', () => {
    const trace = sampleTrace();
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    assert.deepEqual(
      features.diagnostics(docOf(VIEW_URI, text, 1, 'thinkscope-trace')).map((d) => [d.code, d.severity]),
      [['stale-view', 2]],
    );
    features.setTextViewTrace(VIEW_URI, trace);
    const edited = docOf(VIEW_URI, text.replace('Let me add', 'Let us add'), 2, 'thinkscope-trace');
    const [d] = features.diagnostics(edited);
    assert.equal(d!.code, 'stale-view');
    assert.match(d!.message, /no longer matches its trace/);
  });
});
