import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceDocument } from '../../../../protocol/trace';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { docOf, JSON_URI, jsonText, sampleTrace, tokenLine, VIEW_URI } from './fixtures';

describe('createTraceLanguageFeatures', () => {
  test('which documents are trace documents', () => {
    const f = createTraceLanguageFeatures();
    assert.ok(f.isTraceDocument({ uri: 'file:///a/b.trace.json' }));
    assert.ok(f.isTraceDocument({ uri: 'file:///a/B.TRACE.JSON?x=1' }));
    assert.ok(f.isTraceDocument({ uri: 'untitled:1', languageId: 'thinkscope-trace' }));
    assert.ok(f.isTraceDocument({ uri: 'thinkscope-trace:/a/b' }));
    assert.ok(!f.isTraceDocument({ uri: 'file:///a/b.json' }));
    assert.ok(!f.isTraceDocument({ uri: 'file:///a/trace.jsonl' }));
  });

  test('other documents get nothing and are not read', () => {
    const f = createTraceLanguageFeatures();
    const doc = docOf('file:///a/package.json', '{}');
    assert.deepEqual(f.diagnostics(doc), []);
    assert.deepEqual(f.documentSymbols(doc), []);
    assert.deepEqual(f.foldingRanges(doc), []);
    assert.deepEqual(f.codeLenses(doc), []);
    assert.deepEqual(f.semanticTokens(doc), { data: [] });
    assert.equal(f.hover(doc, { line: 0, character: 0 }), null);
    assert.equal(f.analysis(doc), null);
    assert.equal(doc.reads, 0);
  });

  test('a document is read and analysed once per version', () => {
    const f = createTraceLanguageFeatures();
    const json = jsonText(sampleTrace());
    const v1 = docOf(JSON_URI, json, 1);
    f.diagnostics(v1);
    f.documentSymbols(v1);
    f.hover(v1, { line: tokenLine(json, 3), character: 10 });
    f.semanticTokens(v1);
    const analysis = f.analysis(v1);
    assert.equal(v1.reads, 1);
    assert.equal(f.analysis(v1), analysis, 'the same analysis object');
    const v2 = docOf(JSON_URI, json, 2);
    f.diagnostics(v2);
    assert.equal(v2.reads, 1);
    assert.notEqual(f.analysis(v2), analysis);
  });

  test('new settings re-analyse on next use', () => {
    const f = createTraceLanguageFeatures();
    const doc = docOf(JSON_URI, jsonText(sampleTrace()));
    const before = f.analysis(doc);
    f.updateSettings({ cues: ['Let me'] });
    const after = f.analysis(doc)!;
    assert.notEqual(after, before);
    assert.deepEqual(after.cues.map((c) => c.cue), ['Let me', 'Wait']);
    assert.equal(doc.reads, 1, 'the text is not read again');
  });

  test('the token at a position', () => {
    const f = createTraceLanguageFeatures();
    const json = jsonText(sampleTrace());
    const doc = docOf(JSON_URI, json);
    assert.equal(f.tokenAt(doc, { line: tokenLine(json, 7), character: 6 }), 7);
    assert.equal(f.tokenAt(doc, { line: 1, character: 2 }), -1);
  });

  test('the analysis of a document', () => {
    const f = createTraceLanguageFeatures();
    const a = f.analysis(docOf(JSON_URI, jsonText(sampleTrace())))!;
    assert.equal(a.metrics.steps, 4);
    assert.equal(a.metrics.finalAnswer, '6');
    assert.equal(a.metrics.correct, false);
  });

  test('a text view’s trace: registered, resolved from its Source line, cleared', () => {
    const trace = sampleTrace();
    const asked: [string, string | null][] = [];
    const f = createTraceLanguageFeatures({
      resolveTextView: (uri, source): TraceDocument | undefined => {
        asked.push([uri, source]);
        return source === JSON_URI ? trace : undefined;
      },
    });
    const text = f.renderTextView(trace, JSON_URI).text;
    const doc = docOf(VIEW_URI, text, 1, 'thinkscope-trace');
    assert.equal(f.analysis(doc)!.metrics.steps, 4);
    assert.deepEqual(asked, [[VIEW_URI, JSON_URI]]);

    const other = sampleTrace();
    other.question = 'Another question';
    f.setTextViewTrace(VIEW_URI, other);
    assert.equal(f.analysis(doc), null, 'registered trace no longer matches the text');
    assert.equal(f.diagnostics(doc)[0]!.code, 'stale-view');

    f.clearTextViewTrace(VIEW_URI);
    assert.equal(f.analysis(docOf(VIEW_URI, text, 2, 'thinkscope-trace'))!.metrics.steps, 4);
  });

  test('forget drops the cached model', () => {
    const f = createTraceLanguageFeatures();
    const doc = docOf(JSON_URI, jsonText(sampleTrace()));
    f.diagnostics(doc);
    f.forget(JSON_URI);
    f.diagnostics(doc);
    assert.equal(doc.reads, 2);
  });
});
