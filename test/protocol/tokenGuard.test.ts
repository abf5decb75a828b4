import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPlainValidToken } from '../../protocol/tokenGuard';
import { TOKEN_SPEC } from '../../protocol/traceFields';
import { TraceFormatError, checkObject, failWith } from '../../protocol/validation';
import { sampleTrace } from './fixtures';
import { applyMutation, arbMutation, arbTrace } from './traceArbitraries';

function generalAccepts(token: unknown): boolean {
  try {
    checkObject(TOKEN_SPEC, token, ['tokens', 0], failWith(TraceFormatError, undefined, 'the trace'));
    return true;
  } catch (error) {
    if (error instanceof TraceFormatError) return false;
    throw error;
  }
}

describe('isPlainValidToken', () => {
  test('accepts the tokens of the sample', () => {
    for (const t of sampleTrace().tokens) assert.equal(isPlainValidToken(t), true);
  });

  test('leaves tokens with extra fields to the general checker', () => {
    assert.equal(isPlainValidToken({ ...sampleTrace().tokens[0]!, heat: 1 }), false);
    const t = sampleTrace().tokens[0]!;
    assert.equal(isPlainValidToken({ ...t, top: [{ ...t.top[0]!, rank: 1 }] }), false);
  });

  test('whatever it accepts, the general checker accepts (property, 3000 runs)', () => {
    const candidates = fc
      .tuple(arbTrace, fc.array(arbMutation, { maxLength: 2 }))
      .map(([trace, mutations]) => {
        let tokens: unknown = JSON.parse(JSON.stringify(trace.tokens));
        for (const m of mutations) tokens = applyMutation(tokens, m);
        return Array.isArray(tokens) ? tokens : [tokens];
      });
    let fast = 0;
    fc.assert(
      fc.property(candidates, (tokens) => {
        for (const t of tokens) {
          if (isPlainValidToken(t)) {
            fast++;
            assert.ok(generalAccepts(t), JSON.stringify(t));
          }
        }
      }),
      { numRuns: 3000 },
    );
    assert.ok(fast > 1000, `the fast path accepted only ${fast} tokens`);
  });

  test('accepts every valid token with exactly the known fields (property)', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        for (const t of trace.tokens) {
          const plain = Object.keys(t).length === 7 && t.top.every((a) => Object.keys(a).length === 3);
          if (plain) assert.equal(isPlainValidToken(t), true, JSON.stringify(t));
        }
      }),
      { numRuns: 500 },
    );
  });
});
