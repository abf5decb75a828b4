import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SemanticTokens } from 'vscode-languageserver';
import { createTraceLanguageFeatures } from '../../../../server/lsp/features/index';
import { TRACE_SEMANTIC_LEGEND } from '../../../../server/lsp/features/semanticTokens';
import { docOf, JSON_URI, jsonText, sampleTrace, VIEW_URI } from './fixtures';

/** Decodes LSP semantic tokens into [text, type] using the document text. */
function decode(text: string, tokens: SemanticTokens): [string, string][] {
  const lines = text.split('\n');
  const out: [string, string][] = [];
  let line = 0;
  let char = 0;
  for (let k = 0; k < tokens.data.length; k += 5) {
    const [dl, dc, len, type, mods] = tokens.data.slice(k, k + 5) as [number, number, number, number, number];
    assert.equal(mods, 0);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    const piece = lines[line]!.slice(char, char + len);
    assert.equal(piece.length, len, 'a semantic token stays on its line');
    out.push([piece, TRACE_SEMANTIC_LEGEND.tokenTypes[type]!]);
  }
  return out;
}

describe('semantic tokens', () => {
  test('the legend', () => {
    assert.deepEqual(TRACE_SEMANTIC_LEGEND, { tokenTypes: ['injected', 'forced', 'thinking', 'answer', 'cue'], tokenModifiers: [] });
  });

  test('each token’s JSON string by source, cue or phase', () => {
    const trace = sampleTrace();
    const json = jsonText(trace);
    const decoded = decode(json, createTraceLanguageFeatures().semanticTokens(docOf(JSON_URI, json)));
    assert.equal(decoded.length, trace.tokens.length);
    assert.deepEqual(decoded[0], ['Let', 'thinking']);
    assert.deepEqual(decoded[14], ['Wait', 'injected']);
    assert.deepEqual(decoded[22], ['Hmm', 'cue']);
    // The forced text is split like model text: "<" "/" "think" ">" "\n" "Final" " Answer" ":".
    assert.deepEqual(decoded.slice(29, 34), [['<', 'forced'], ['/', 'forced'], ['think', 'forced'], ['>', 'forced'], ['\\n', 'forced']]);
    assert.deepEqual(decoded[37], [' 6', 'answer']);
  });

  test('on the text view: merged runs per line, and the markers', () => {
    const trace = sampleTrace();
    const features = createTraceLanguageFeatures();
    const text = features.renderTextView(trace).text;
    features.setTextViewTrace(VIEW_URI, trace);
    const decoded = decode(text, features.semanticTokens(docOf(VIEW_URI, text, 1, 'thinkscope-trace')));
    assert.deepEqual(decoded, [
      ['Let me add 2 and 3.', 'thinking'],
      ['So the answer is 5.', 'thinking'],
      ['⟦end of thinking suppressed → injected "Wait"⟧Wait', 'injected'],
      [', the answer is 6.', 'thinking'],
      ['Hmm', 'cue'],
      [', we need the count of', 'thinking'],
      ['⟦thinking budget reached at 29 tokens → forced "</think>\\nFinal Answer:"⟧', 'forced'],
      ['</think>', 'forced'],
      ['Final Answer:', 'forced'],
      [' 6', 'answer'],
    ]);
  });
});
