/**
 * The analysis of the sample traces under samples/traces against counts made by hand from their
 * text (each count is explained beside it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectFindings } from '../../../server/analysis/findings';
import { analyzeTraceDetailed } from '../../../server/analysis/metrics';
import { parseTraceJson } from '../../../server/trace/parse';

function sample(name: string) {
  const path = fileURLToPath(new URL(`../../../samples/traces/${name}`, import.meta.url));
  const trace = parseTraceJson(readFileSync(path, 'utf8'), path);
  const d = analyzeTraceDetailed(trace);
  return { trace, ...d, findings: detectFindings(trace, d.analysis, d.generated) };
}

describe('sample traces', () => {
  test('wait-extension: two injected Waits after the answer was found', () => {
    const { analysis, findings } = sample('wait-extension.trace.json');
    const m = analysis.metrics;
    // Thinking steps: "Okay, … of 36." | "Hmm, let me start…" | "36 = 2^2 × 3^2…" | "Let me list them…" |
    // "Adding them up…" | "So the sum is 91." | injected "Wait, let me double-check…" | "For 2^2…" |
    // "Both methods give 91." | injected "Wait, did I miss a divisor?…" | "So the answer is 91." = 11.
    assert.equal(m.steps, 11);
    assert.deepEqual(analysis.cues.map((c) => c.cue), ['Hmm', 'Wait', 'Wait']);
    assert.equal(m.reflectionCues, 3);
    assert.equal(m.thinkingTokens, 370); // tokens 0–369; "</think>" is token 370
    // "So the sum is 91." is the first correct statement; its step ends where the first Wait is
    // injected (token 172): 370 − 172 = 198 thinking tokens after it.
    assert.equal(m.tokensAfterFirstCorrect, 198);
    assert.equal(m.outcomeEfficiency, 172 / 370);
    assert.equal(m.finalAnswer, '91');
    assert.equal(m.correct, true);
    assert.deepEqual(m.loops, []);
    // Both Waits come after a correct answer, and the answer never changes: no flip.
    assert.deepEqual(findings.map((f) => f.code), ['thinking-after-correct']);
  });

  test('forced-cut: the budget cuts a sentence short after the answer was found', () => {
    const { analysis, findings, trace } = sample('forced-cut.trace.json');
    const m = analysis.metrics;
    // Paragraphs: "Okay…", "The multiples of 5…", "But multiples of 25…", "Total: 20 + 4 = 24.",
    // "Hmm, let me sanity-check…", which "Let me verify that…" splits: 6 steps, 2 cues.
    assert.equal(m.steps, 6);
    assert.deepEqual(analysis.cues.map((c) => c.cue), ['Hmm', 'Let me verify']);
    // "Total: 20 + 4 = 24." is tokens 138–148 (its "24" starts at 145); 259 − 149 = 110 after it.
    assert.equal(m.firstCorrectToken, 145);
    assert.equal(m.tokensAfterFirstCorrect, 110);
    assert.equal(m.outcomeEfficiency, 149 / 259);
    assert.equal(m.finalAnswer, '24');
    assert.equal(m.correct, true);
    const cut = findings.find((f) => f.code === 'forced-cut-mid-sentence');
    assert.ok(cut);
    assert.equal(cut.startToken, trace.events[0]!.at - 1);
    assert.match(cut.message, /which ends in”\.$/);
  });
});
