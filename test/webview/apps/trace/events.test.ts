import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent, describeWanted, eventIcon, isIntervention } from '../../../../webview/apps/trace/events';
import { knownTrace } from '../../fixtures';

describe('describeEvent', () => {
  const trace = knownTrace();

  test('a suppressed end says what the model wanted, its probability, and what was injected', () => {
    const d = describeEvent(trace.events[0], trace);
    assert.equal(d.title, 'Suppressed end of thinking');
    assert.deepEqual(d.lines, [
      'Model wanted: "</think>" (p = 0.905, logprob -0.100)',
      'Injected: "Wait"',
      'At token 18, after 17 thinking tokens',
      'Minimum thinking: 20 tokens',
    ]);
  });

  test('a forced end says what was forced and the maximum', () => {
    const d = describeEvent(trace.events[1], trace);
    assert.equal(d.title, 'Forced end of thinking (budget reached)');
    assert.deepEqual(d.lines, [
      'Model wanted: " So" (p = 0.497, logprob -0.700)',
      'Forced: "</think>\\n\\nFinal Answer:"',
      'At token 26, after 25 thinking tokens',
      'Maximum thinking: 25 tokens',
    ]);
  });

  test('a forced end without its injected text falls back to the delimiters and the prefix', () => {
    const d = describeEvent({ kind: 'forced-end', at: 3 }, trace);
    assert.ok(d.lines.includes('Forced: "</think>" + "Final Answer:"'));
  });

  test('debugger events and their details', () => {
    const d = describeEvent({ kind: 'user-chose-token', at: 4, wanted: { id: 1, text: ' 5', logprob: Math.log(0.25) }, injected: ' 4', detail: 'from the alternatives' }, trace);
    assert.equal(d.title, 'Token chosen by the user');
    assert.deepEqual(d.lines, ['Model wanted: " 5" (p = 0.250, logprob -1.386)', 'Chosen: " 4"', 'At token 5', 'from the alternatives']);
    const rewind = describeEvent({ kind: 'rewind', at: 2, branchTraceId: 'child-1' }, trace);
    assert.ok(rewind.lines.includes('Abandoned branch kept as trace child-1'));
  });

  test('which events are interventions, and their icons', () => {
    assert.equal(isIntervention({ kind: 'suppressed-end', at: 0 }), true);
    assert.equal(isIntervention({ kind: 'natural-end', at: 0 }), false);
    assert.equal(isIntervention({ kind: 'user-injected', at: 0 }), true);
    assert.equal(eventIcon('forced-end'), 'debug-stop');
    assert.equal(describeWanted({ id: 1, text: 'x', logprob: null }), '"x"');
  });
});
