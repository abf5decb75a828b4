import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CUE_PATTERN, LocalSegmenter } from '../../../../webview/apps/trace/localAnalysis';
import { TraceModel } from '../../../../webview/apps/trace/model';
import { TokenText } from '../../../../webview/apps/trace/textSource';
import type { TraceToken } from '../../../../protocol/trace';
import { KNOWN, knownTrace, token } from '../../fixtures';

describe('LocalSegmenter', () => {
  test('finds the known steps and cues', () => {
    const trace = knownTrace();
    const segmenter = new LocalSegmenter();
    segmenter.update(new TokenText(trace.tokens), 0);
    assert.deepEqual(segmenter.steps.map((s) => s.startToken), [...KNOWN.stepStarts]);
    assert.deepEqual(segmenter.cues.map((c) => [c.token, c.cue]), [[8, 'Hmm'], [17, 'Wait'], [21, 'But wait']]);
    const last = segmenter.steps[segmenter.steps.length - 1];
    assert.equal(last.endToken, KNOWN.length);
    assert.equal(last.phase, 'answer');
    assert.equal(segmenter.steps[1].cue, 'Hmm');
    assert.equal(segmenter.steps[2].cue, null);
    assert.equal(new TraceModel(trace).stepPreview(1), 'Hmm, check: 4.');
    segmenter.steps.forEach((s, i) => assert.equal(s.index, i));
  });

  test('streaming token by token gives the same steps as all at once', () => {
    const whole = knownTrace();
    const tokens: TraceToken[] = [];
    const text = new TokenText(tokens);
    const segmenter = new LocalSegmenter();
    for (const t of whole.tokens) {
      tokens.push(t);
      text.sync(tokens.length - 1);
      segmenter.update(text, tokens.length - 1);
    }
    const reference = new LocalSegmenter();
    reference.update(new TokenText(whole.tokens), 0);
    assert.deepEqual(segmenter.steps, reference.steps);
    assert.deepEqual(segmenter.cues, reference.cues);
  });

  test('a cue split over two tokens is found once both have arrived', () => {
    const tokens: TraceToken[] = [token('Done.'), token('\n\n'), token('Wa'), token('it'), token(', no.')];
    const text = new TokenText(tokens.slice(0, 3));
    const segmenter = new LocalSegmenter();
    segmenter.update(text, 0);
    assert.equal(segmenter.cues.length, 0);
    const all = new TokenText(tokens);
    segmenter.update(all, 3);
    assert.deepEqual(segmenter.cues.map((c) => c.token), [2]);
  });

  test('a lowercase "wait" inside a sentence is no cue', () => {
    const tokens = [token('We'), token(' wait'), token(' for'), token(' it'), token('.'), token(' Wait'), token(' what')];
    const segmenter = new LocalSegmenter();
    segmenter.update(new TokenText(tokens), 0);
    assert.deepEqual(segmenter.cues.map((c) => c.token), [5], 'only the one after a full stop');
  });

  test('the cue pattern', () => {
    for (const cue of ['Wait', 'But wait', 'Hmm', 'Hmmm', 'Alternatively', 'Hold on', 'Let me re-check', 'Let me recheck', 'Let me double-check', 'Let me verify']) {
      assert.ok(CUE_PATTERN.test(`${cue}, x`), cue);
    }
    for (const text of ['Waiter', 'However', 'Let me see', 'wait']) assert.ok(!CUE_PATTERN.test(text), text);
  });
});
