import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { concludingNumber, extractCandidates, findBoxes, findFinalNumber, type ExtractedAnswer } from '../../../server/analysis/answers';

/** [kind, text, normalized] of each candidate; checks that every range slices to its text. */
function found(text: string, options: Parameters<typeof extractCandidates>[1] = {}): [string, string, string][] {
  const out = extractCandidates(text, options);
  for (const c of out) assert.equal(text.slice(c.startChar, c.endChar), c.text, `range of ${JSON.stringify(c.text)}`);
  return out.map((c: ExtractedAnswer) => [c.kind, c.text, c.normalized]);
}

describe('extractCandidates: boxes', () => {
  test('a plain box', () => {
    assert.deepEqual(found('So we get $\\boxed{42}$.'), [['boxed', '42', '42']]);
  });

  test('nested braces inside the box', () => {
    assert.deepEqual(found('\\boxed{\\frac{1}{2}}'), [['boxed', '\\frac{1}{2}', '0.5']]);
    assert.deepEqual(found('\\boxed{\\left(\\frac{3}{2}, -1\\right)}'), [['boxed', '\\left(\\frac{3}{2}, -1\\right)', '(1.5,-1)']]);
  });

  test('a box wrapping only a box, and \\fbox', () => {
    assert.deepEqual(found('\\boxed{ \\boxed{7} }'), [['boxed', '7', '7']]);
    assert.deepEqual(found('Answer in a frame: \\fbox{12}'), [['boxed', '12', '12']]);
    assert.deepEqual(found('\\boxed {9}'), [['boxed', '9', '9']]);
  });

  test('every box in the text, in order; an unclosed box is ignored', () => {
    assert.deepEqual(found('First \\boxed{3}, later \\boxed{4}, then \\boxed{5'), [
      ['boxed', '3', '3'],
      ['boxed', '4', '4'],
    ]);
  });

  test('escaped braces inside a box do not end it', () => {
    const boxes = findBoxes('\\boxed{\\{1, 2\\}} done');
    assert.equal(boxes.length, 1);
    assert.deepEqual(found('\\boxed{\\{1, 2\\}} done'), [['boxed', '\\{1, 2\\}', '{1,2}']]);
  });

  test('text answers in a box', () => {
    assert.deepEqual(found('\\boxed{\\text{Paris}}'), [['boxed', '\\text{Paris}', 'paris']]);
  });
});

describe('extractCandidates: answer lines and phrases', () => {
  test('"Final Answer:" takes the rest of the line', () => {
    assert.deepEqual(found('Final Answer: 42\nThanks.'), [['final-answer', '42', '42']]);
    assert.deepEqual(found('**Final Answer:** $x = 7$.'), [['final-answer', 'x = 7', '7']]);
  });

  test('"Final Answer:" with the box on a later line, in display math', () => {
    assert.deepEqual(found('Final Answer:\n\\[\n\\boxed{9}\n\\]'), [['final-answer', '9', '9']]);
    assert.deepEqual(found('**Final Answer**\n\nFinal Answer:\n$$\n\\boxed{\\dfrac{3}{4}}\n$$'), [['final-answer', '\\dfrac{3}{4}', '0.75']]);
  });

  test('"Final Answer:" with a box and a sentence yields the box once', () => {
    assert.deepEqual(found('Final Answer: The final answer is $\\boxed{3}$. I hope it is correct.'), [['final-answer', '3', '3']]);
  });

  test('"**Answer:**" at a line start', () => {
    assert.deepEqual(found('Some work.\n**Answer:** 12 apples'), [['final-answer', '12 apples', '12']]);
    assert.deepEqual(found('- Answer: (C)'), [['final-answer', '(C)', 'C']]);
  });

  test('"the answer is …" up to the end of the sentence', () => {
    assert.deepEqual(found('So the answer is 5. Let me check.'), [['answer-is', '5', '5']]);
    assert.deepEqual(found('Hence the answer is \\(x = 3\\).'), [['answer-is', 'x = 3', '3']]);
    assert.deepEqual(found('I think the answer is 1,250, which seems large.'), [['answer-is', '1,250', '1250']]);
    assert.deepEqual(found('the answer should be 3.5 because of symmetry'), [['answer-is', '3.5', '3.5']]);
    assert.deepEqual(found('So the answer is probably 8.'), [['answer-is', '8', '8']]);
  });

  test('answers in words', () => {
    assert.deepEqual(found('Thus the answer is twenty-one.'), [['answer-is', 'twenty-one', '21']]);
    assert.deepEqual(found('The answer is one hundred and five.'), [['answer-is', 'one hundred and five', '105']]);
  });

  test('multiple-choice letters', () => {
    assert.deepEqual(found('The correct option is (B).'), [['choice', '(B)', 'B']]);
    assert.deepEqual(found('Therefore the answer is C because it fits.'), [['choice', 'C', 'C']]);
    assert.deepEqual(found('Option D is correct.'), [['choice', 'D', 'D']]);
    assert.deepEqual(found('After all that, (A) is correct.'), [['choice', '(A)', 'A']]);
    assert.deepEqual(found('\\boxed{B}'), [['boxed', 'B', 'B']]);
  });

  test('negations and rambling sentences are not answers', () => {
    const explicitOnly = { finalNumber: 'never' } as const;
    assert.deepEqual(found('The answer is not 5.', explicitOnly), []);
    assert.deepEqual(found('The answer is going to be larger than what we found before, so keep going', explicitOnly), []);
    assert.deepEqual(found('I think the answer is that we need more cases.', explicitOnly), []);
    assert.deepEqual(found('So the answer is correct.', explicitOnly), []);
    assert.deepEqual(found('Let me answer: first the easy part.', explicitOnly), []);
    assert.deepEqual(found('The answer is yes.', explicitOnly), [['answer-is', 'yes', 'yes']]);
    assert.deepEqual(found('The answer is the Eiffel Tower.', explicitOnly), [['answer-is', 'the Eiffel Tower', 'eiffel tower']]);
  });

  test('a sentence may hold several candidates', () => {
    const out = found('First the answer is 4. Then \\boxed{5}. Final Answer: 6');
    assert.deepEqual(out.map((c) => c[1]), ['4', '5', '6']);
  });
});

describe('extractCandidates: final number and whole text', () => {
  test('the final number when nothing explicit is there (default)', () => {
    assert.deepEqual(found('We add 3 and 4 to get 7.'), [['last-number', '7', '7']]);
    assert.deepEqual(found('So we have 1,234 apples in all'), [['last-number', '1,234', '1234']]);
    assert.deepEqual(found('It drops to -7 overnight'), [['last-number', '-7', '-7']]);
    assert.deepEqual(found('The ratio is \\frac{3}{4}'), [['last-number', '\\frac{3}{4}', '0.75']]);
    assert.deepEqual(found('A rise of 12.5%'), [['last-number', '12.5%', '12.5%']]);
  });

  test('numbers inside identifiers, subscripts and exponents are not final numbers', () => {
    assert.equal(findFinalNumber('we set x2 and a_1 and y^2'), null);
  });

  test('"never" and "always"', () => {
    assert.deepEqual(found('We get 7.', { finalNumber: 'never' }), []);
    assert.deepEqual(found('the answer is 5, and 6 more', { finalNumber: 'always' }).map((c) => c[0]), ['answer-is', 'last-number']);
    assert.deepEqual(found('the answer is 5, and 6 more'), [['answer-is', '5', '5']]);
  });

  test('the whole text when it is one short line, after skipping prefixes', () => {
    assert.deepEqual(found('</think>\n\nParis.', { wholeTextFallback: true, skipPrefixes: ['</think>'] }), [['final-answer', 'Paris', 'paris']]);
    assert.deepEqual(found('</think>\nFinal Answer: Paris', { wholeTextFallback: true, skipPrefixes: ['</think>'] }), [['final-answer', 'Paris', 'paris']]);
    assert.deepEqual(found('</think>\n(B)', { wholeTextFallback: true, skipPrefixes: ['</think>'] }), [['choice', '(B)', 'B']]);
    assert.deepEqual(found('This is a long paragraph about many things that goes on and on\nand on.', { wholeTextFallback: true, finalNumber: 'never' }), []);
  });
});

describe('concludingNumber', () => {
  const concluded = (text: string) => {
    const n = concludingNumber(text);
    return n ? text.slice(n.start, n.end) : null;
  };

  test('a last sentence that opens with a conclusion and ends with the number', () => {
    assert.equal(concluded('Count again. So the probability is 5/36.'), '5/36');
    assert.equal(concluded('Total: 20 + 4 = 24.'), '24');
    assert.equal(concluded('Then 7 × 13 = 91.\n\n'), '91');
    assert.equal(concluded('Thus x = -3 (mod 7).'), '-3');
  });

  test('a short statement of a value', () => {
    assert.equal(concluded('The remainder is 2.'), '2');
    assert.equal(concluded('Checked twice. Both methods give 91.'), '91');
    assert.equal(concluded('The sum comes to **12**.'), '12');
  });

  test('numbers that are mentioned, computed along the way, or followed by more words', () => {
    assert.equal(concluded('Done with that. Consider case 2.'), null);
    assert.equal(concluded('The multiples of 5 up to 100: 100 / 5 = 20, so there are 20 of them.'), null);
    assert.equal(concluded('So it is 5/36 after all.'), null);
    assert.equal(concluded('Adding them up: 1 + 2 = 3, 3 + 3 = 6, 6 + 4 = 10, 10 + 6 = 16.'), null);
    assert.equal(concluded('No numbers here.'), null);
  });
});
