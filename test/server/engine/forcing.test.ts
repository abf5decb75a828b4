import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BudgetError, BudgetForcer, forcedEndText, validateBudget, type SampledKind } from '../../../server/engine/forcing';
import type { BudgetSettings } from '../../../protocol/trace';

const budget = (b: Partial<BudgetSettings> = {}): BudgetSettings => ({
  minThinkingTokens: 0,
  maxThinkingTokens: null,
  ignoreEnd: null,
  extendWith: 'Wait',
  answerPrefix: 'Final Answer:',
  maxAnswerTokens: 10,
  ...b,
});

/** Drives the machine like an engine does (one token per emit, `n` per injection) and logs actions. */
function drive(forcer: BudgetForcer, samples: SampledKind[], injectedLength = 1, forcedLength = 3): string[] {
  const log: string[] = [];
  for (const s of samples) {
    const a = forcer.decide(s);
    log.push(a.kind === 'force-end' ? `force-end:${a.reason}` : a.kind === 'stop' ? `stop:${a.reason}` : a.kind);
    if (a.kind === 'emit') {
      if (a.reopens) forcer.reopenThinking();
      forcer.count(1);
    } else if (a.kind === 'natural-end') {
      forcer.enterAnswer();
      forcer.count(1);
    } else if (a.kind === 'suppress-end') {
      forcer.count(injectedLength);
    } else if (a.kind === 'force-end') {
      forcer.enterAnswer();
      forcer.count(forcedLength);
    } else break;
  }
  return log;
}

const text = (n: number): SampledKind[] => Array.from({ length: n }, () => 'text');

describe('budget forcing machine', () => {
  test('without budgets the model ends thinking when it wants', () => {
    const f = new BudgetForcer(budget());
    assert.deepEqual(drive(f, [...text(3), 'end-of-thinking', 'text', 'end-of-sequence']), [
      'emit', 'emit', 'emit', 'natural-end', 'emit', 'stop:eos',
    ]);
    assert.equal(f.snapshot.thinkingTokens, 3);
    assert.equal(f.snapshot.answerTokens, 2);
  });

  test('the maximum forces the end exactly when thinking reaches it', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 4 }));
    const log = drive(f, [...text(10)]);
    assert.deepEqual(log.slice(0, 5), ['emit', 'emit', 'emit', 'emit', 'force-end:budget']);
    assert.equal(f.snapshot.thinkingTokens, 4);
    assert.equal(f.phase, 'answer');
  });

  test('a budget of 0 answers at once', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 0 }));
    assert.deepEqual(drive(f, ['text']), ['force-end:budget']);
    assert.equal(f.snapshot.thinkingTokens, 0);
  });

  test('an end sampled at the maximum is a natural end, not a forced one', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 2 }));
    assert.deepEqual(drive(f, ['text', 'text', 'end-of-thinking']), ['emit', 'emit', 'natural-end']);
  });

  test('the cut waits for a multi-byte character to complete', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 2 }));
    drive(f, text(2));
    assert.equal(f.decide('text', true).kind, 'emit');
    f.count(1);
    assert.deepEqual(f.decide('text', false), { kind: 'force-end', reason: 'budget' });
  });

  test('below the minimum an end is suppressed and the extension injected', () => {
    const f = new BudgetForcer(budget({ minThinkingTokens: 5, extendWith: 'Hmm' }));
    drive(f, text(2));
    assert.deepEqual(f.decide('end-of-thinking'), { kind: 'suppress-end', inject: 'Hmm' });
    f.count(1);
    drive(f, text(2));
    assert.equal(f.decide('end-of-thinking').kind, 'natural-end');
    assert.equal(f.snapshot.suppressedEnds, 1);
    assert.equal(f.snapshot.endAttempts, 2);
  });

  test('ignoreEnd suppresses exactly that many ends when there is no minimum', () => {
    const f = new BudgetForcer(budget({ ignoreEnd: 2 }));
    const log = drive(f, ['text', 'end-of-thinking', 'text', 'end-of-thinking', 'text', 'end-of-thinking']);
    assert.deepEqual(log, ['emit', 'suppress-end', 'emit', 'suppress-end', 'emit', 'natural-end']);
  });

  test('ignoreEnd caps suppression below the minimum', () => {
    const f = new BudgetForcer(budget({ minThinkingTokens: 100, ignoreEnd: 1 }));
    const log = drive(f, ['text', 'end-of-thinking', 'end-of-thinking']);
    assert.deepEqual(log, ['emit', 'suppress-end', 'natural-end']);
  });

  test('end-of-sequence in thinking forces an answer', () => {
    const f = new BudgetForcer(budget());
    assert.deepEqual(drive(f, ['text', 'end-of-sequence', 'text']), ['emit', 'force-end:end-of-sequence', 'emit']);
    assert.equal(f.phase, 'answer');
  });

  test('a reopened thinking block shares the budget', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 3 }));
    const log = drive(f, ['text', 'text', 'end-of-thinking', 'text', 'start-of-thinking', 'text', 'text']);
    assert.deepEqual(log, ['emit', 'emit', 'natural-end', 'emit', 'emit', 'force-end:budget', 'emit']);
    // The reopening token is thinking: 2 + 1 = 3 reaches the maximum.
    assert.equal(f.snapshot.thinkingTokens, 3);
  });

  test('the answer stops at its cap', () => {
    const f = new BudgetForcer(budget({ maxAnswerTokens: 2 }));
    const log = drive(f, ['end-of-thinking', 'text', 'text', 'text']);
    assert.deepEqual(log, ['natural-end', 'emit', 'stop:answer-cap']);
  });

  test('a full context forces the end in thinking and stops the answer', () => {
    const f = new BudgetForcer(budget());
    assert.deepEqual(f.decide('text', false, 0), { kind: 'force-end', reason: 'context' });
    f.enterAnswer();
    assert.deepEqual(f.decide('text', false, 0), { kind: 'stop', reason: 'context-full' });
  });

  test('resumes from a snapshot', () => {
    const f = new BudgetForcer(budget({ maxThinkingTokens: 3 }), {
      phase: 'thinking', thinkingTokens: 3, answerTokens: 0, suppressedEnds: 0, endAttempts: 0, done: false,
    });
    assert.equal(f.decide('text').kind, 'force-end');
  });

  test('forced text is the delimiter then the prefix on its own line', () => {
    assert.equal(forcedEndText('</think>', 'Final Answer:'), '</think>\nFinal Answer:');
    assert.equal(forcedEndText('<|im_start|>answer', ''), '<|im_start|>answer\n');
  });
});

describe('budget validation', () => {
  const bad: Array<[Partial<BudgetSettings>, RegExp]> = [
    [{ maxThinkingTokens: -1 }, /maxThinkingTokens must be a whole number ≥ 0 or null, got -1/],
    [{ minThinkingTokens: 1.5 }, /minThinkingTokens must be a whole number ≥ 0, got 1.5/],
    [{ ignoreEnd: Number.NaN }, /ignoreEnd .* got null|ignoreEnd/],
    [{ minThinkingTokens: 10, maxThinkingTokens: 5 }, /maxThinkingTokens \(5\) is below budget.minThinkingTokens \(10\)/],
    [{ maxAnswerTokens: 0 }, /maxAnswerTokens must be at least 1/],
    [{ extendWith: '' }, /extendWith must be a non-empty string/],
  ];
  for (const [patch, message] of bad) {
    test(`rejects ${JSON.stringify(patch)}`, () => {
      assert.throws(() => validateBudget(budget(patch)), (e: unknown) => e instanceof BudgetError && message.test(e.message));
      assert.throws(() => new BudgetForcer(budget(patch)), BudgetError);
    });
  }
  test('accepts max = min and a budget of 0', () => {
    validateBudget(budget({ minThinkingTokens: 5, maxThinkingTokens: 5 }));
    validateBudget(budget({ maxThinkingTokens: 0 }));
  });
});
