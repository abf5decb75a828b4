import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildBigramTable,
  contextClassKey,
  corpusSequences,
  MAX_CONTEXT_CLASSES,
  segmentCorpusText,
  UNSEEN_LOGIT,
} from '../../../server/tinymodel/bigrams';
import { vocabularyWords } from '../../../server/tinymodel/corpus';
import { createRng } from '../../../server/tinymodel/prng';
import { buildVocabulary, SPACE_MARKER } from '../../../server/tinymodel/vocabulary';

const vocab = buildVocabulary(vocabularyWords());

describe('segmentCorpusText', () => {
  test('splits text into vocabulary tokens that join back to it', () => {
    const text = 'Hmm, so 3 + 4 = 12. The answer is \\boxed{7}.\n\nFinal Answer: 7</s>';
    const ids = segmentCorpusText(text, vocab);
    const pieces = ids.map((id) => vocab.tokens[id]!);
    assert.equal(pieces.join('').split(SPACE_MARKER).join(' '), text);
    assert.deepEqual(pieces.slice(0, 4), ['Hmm', ',', `${SPACE_MARKER}so`, `${SPACE_MARKER}3`]);
    assert.ok(pieces.includes(`${SPACE_MARKER}\\boxed{`));
    assert.equal(ids.at(-1), vocab.special.eos);
  });

  test('refuses words the vocabulary lacks', () => {
    assert.throws(() => segmentCorpusText('zebra', vocab), /no token "zebra"/);
  });
});

describe('contextClassKey', () => {
  test('groups tokens that behave alike', () => {
    assert.equal(contextClassKey('Let'), 'let');
    assert.equal(contextClassKey(`${SPACE_MARKER}let`), 'let');
    assert.equal(contextClassKey('7'), 'digit');
    assert.equal(contextClassKey(`${SPACE_MARKER}7`), `${SPACE_MARKER}digit`);
    assert.equal(contextClassKey('<think>'), '\n');
    assert.equal(contextClassKey(`${SPACE_MARKER}\\boxed{`), '\\boxed{');
    assert.equal(contextClassKey('.'), '.');
  });
});

describe('buildBigramTable', () => {
  const table = buildBigramTable(vocab, createRng(0));

  test('fits in the residual stream', () => {
    assert.ok(table.classes.length <= MAX_CONTEXT_CLASSES, `${table.classes.length} classes`);
    assert.equal(table.logits.length, table.classes.length);
  });

  test('the delimiters and end of sequence are producible; byte tokens and "Wait" are not', () => {
    assert.ok(table.producible.has(vocab.special.thinkEnd));
    assert.ok(table.producible.has(vocab.special.eos));
    assert.ok(!table.producible.has(vocab.special.thinkStart));
    assert.ok(!table.producible.has(vocab.idOf('<0x41>')));
    assert.ok(!table.producible.has(vocab.idOf('Wait')));
    assert.ok(!table.producible.has(vocab.idOf(`${SPACE_MARKER}Wait`)));
  });

  test('"Wait" shares the context of "wait": it is followed by a comma', () => {
    const c = table.classOf[vocab.idOf('Wait')]!;
    assert.equal(table.classes[c], 'wait');
    const row = table.logits[c]!;
    assert.ok(row[vocab.idOf(',')]! > 0);
    assert.equal(row[vocab.idOf(`${SPACE_MARKER}so`)], UNSEEN_LOGIT);
  });

  test('phases: "Okay" opens thinking, "Therefore" closes it, \\boxed{ belongs to the answer', () => {
    const okay = table.phaseAffinity.get(vocab.idOf('Okay'))!;
    assert.equal(okay.early, 1);
    assert.equal(okay.answer, 0);
    const therefore = table.phaseAffinity.get(vocab.idOf('Therefore'))!;
    assert.equal(therefore.late, 1);
    const boxed = table.phaseAffinity.get(vocab.idOf(`${SPACE_MARKER}\\boxed{`))!;
    assert.deepEqual(boxed, { early: 0, middle: 0, late: 0, answer: 1 });
    assert.equal(table.phaseAffinity.get(vocab.special.eos)!.answer, 1);
  });

  test('the seed changes only the noise on seen transitions', () => {
    const again = buildBigramTable(vocab, createRng(0));
    const other = buildBigramTable(vocab, createRng(1));
    assert.deepEqual(again.logits, table.logits);
    assert.notDeepEqual(other.logits, table.logits);
    assert.deepEqual(other.classes, table.classes);
    table.logits.forEach((row, c) => {
      for (const j of table.producible) {
        assert.equal(row[j] === UNSEEN_LOGIT, other.logits[c]![j] === UNSEEN_LOGIT);
      }
    });
  });

  test('every sample starts after <think> and ends with </s>', () => {
    for (const seq of corpusSequences(vocab)) {
      assert.equal(seq[0]!.id, vocab.special.thinkStart);
      assert.equal(seq.at(-1)!.id, vocab.special.eos);
      assert.equal(seq.filter((t) => t.id === vocab.special.thinkEnd).length, 1);
    }
  });
});
