import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { answersEquivalent, cleanAnswer, normalizeAnswer, parseAnswer, parseNumberWords } from '../../../server/analysis/answerValue';

describe('normalizeAnswer', () => {
  const cases: [string, string][] = [
    ['42', '42'],
    ['  42. ', '42'],
    ['1,000', '1000'],
    ['1,234,567.50', '1234567.5'],
    ['+3', '3'],
    ['-0', '0'],
    ['.5', '0.5'],
    ['3.0', '3'],
    ['\\frac{1}{2}', '0.5'],
    ['\\dfrac{3}{8}', '0.375'],
    ['\\tfrac12', '0.5'],
    ['-\\frac{2}{6}', '-1/3'],
    ['\\frac{-4}{6}', '-2/3'],
    ['4/6', '2/3'],
    ['50\\%', '50%'],
    ['12.50%', '12.5%'],
    ['$\\boxed{7}$', '7'],
    ['\\(x = 5\\)', '5'],
    ['x=2+3=5', '5'],
    ['5 \\text{ cm}', '5'],
    ['5\\text{cm}^2', '5'],
    ['90^\\circ', '90'],
    ['90^{\\circ}', '90'],
    ['45 degrees', '45'],
    ['\\$12', '12'],
    ['12 dollars', '12'],
    ['50 percent', '50%'],
    ['twenty-one', '21'],
    ['one hundred twenty three', '123'],
    ['two thousand and five', '2005'],
    ['a hundred', '100'],
    ['minus three', '-3'],
    ['two thirds', '2/3'],
    ['one half', '0.5'],
    ['(B)', 'B'],
    ['\\text{(C)}', 'C'],
    ['Option D', 'D'],
    ['E.', 'E'],
    ['(b)', 'B'],
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['[0, 1)', '[0,1)'],
    ['\\{3, 1, 2\\}', '{1,2,3}'],
    ['1, 2, and 3', '{1,2,3}'],
    ['(1,000)', '1000'],
    ['\\text{Paris}', 'paris'],
    ['The Eiffel Tower', 'eiffel tower'],
    ['"Yes"', 'yes'],
    ['x^{2} + 1', 'x^2+1'],
    ['2 \\sqrt{3}', '2\\sqrt{3}'],
    ['\\sqrt3', '\\sqrt{3}'],
    ['**17**', '17'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normalizeAnswer(input), expected);
    });
  }
});

describe('answersEquivalent: equivalent', () => {
  const pairs: [string, string][] = [
    ['0.5', '\\frac{1}{2}'],
    ['1/2', '\\dfrac{1}{2}'],
    ['\\frac{2}{4}', '0.50'],
    ['1000', '1,000'],
    ['5 cm', '5'],
    ['5', '5\\text{ cm}'],
    ['30^\\circ', '30'],
    ['30 degrees', '30^{\\circ}'],
    ['twenty', '20'],
    ['(B)', 'B'],
    ['b', '(B)'],
    ['\\text{(A)}', 'A'],
    ['(B) 42', 'B'],
    ['(1, 2)', '\\left(1,2\\right)'],
    ['\\{1, 2\\}', '\\{2, 1\\}'],
    ['2, 1', '1, 2'],
    ['x = 3', '3'],
    ['y = -\\frac{1}{2}', '-0.5'],
    ['Paris', 'paris.'],
    ['  The Answer  ', 'the answer'],
    ['0.333', '\\frac{1}{3}'],
    ['0.667', '2/3'],
    ['0.666', '2/3'],
    ['-0.333', '-1/3'],
    ['50%', '50'],
    ['50', '50\\%'],
    ['0.5', '50%'],
    ['12.5', '12.5 \\%'],
  ];
  for (const [a, b] of pairs) {
    test(`${JSON.stringify(a)} ≡ ${JSON.stringify(b)}`, () => {
      assert.equal(answersEquivalent(a, b), true);
    });
  }
});

describe('answersEquivalent: not equivalent', () => {
  const pairs: [string, string][] = [
    ['2', '3'],
    ['0.33', '\\frac{1}{3}'],
    ['0.334', '\\frac{1}{3}'],
    ['0.3333', '0.333'],
    ['1.5', '1,5'],
    ['(2, 1)', '(1, 2)'],
    ['[1, 2]', '(1, 2)'],
    ['[1, 2)', '[1, 2]'],
    ['(1, 2, 3)', '(1, 2)'],
    ['B', 'C'],
    ['(B)', '2'],
    ['50%', '0.5'],
    ['5%', '5/100%'],
    ['-5', '5'],
    ['x^2', 'x^3'],
    ['Paris', 'London'],
    ['12 apples', '12 oranges and 3 pears'],
    ['2 or 3', '2'],
    ['\\frac{\\sqrt{2}}{2}', '\\sqrt{2}'],
    ['', '0'],
  ];
  for (const [a, b] of pairs) {
    test(`${JSON.stringify(a)} ≢ ${JSON.stringify(b)}`, () => {
      assert.equal(answersEquivalent(a, b), false);
    });
  }
});

describe('answer values', () => {
  test('numbers are exact rationals, however large', () => {
    const v = parseAnswer('123456789012345678901234567890');
    assert.equal(v.kind, 'number');
    assert.ok(answersEquivalent('123456789012345678901234567890', '123,456,789,012,345,678,901,234,567,890'));
    assert.ok(!answersEquivalent('123456789012345678901234567890', '123456789012345678901234567891'));
  });

  test('a zero denominator is not a number', () => {
    assert.equal(parseAnswer('3/0').kind, 'text');
  });

  test('numbers in words that are not numbers stay text', () => {
    assert.equal(parseNumberWords('one way'), null);
    assert.equal(parseNumberWords('and'), null);
  });

  test('cleanAnswer removes LaTeX and markdown noise but keeps the content', () => {
    assert.equal(cleanAnswer('$\\displaystyle \\mathbf{x} \\, = \\, 4$.'), 'x = 4');
    assert.equal(cleanAnswer('\\textbf{\\text{yes}}'), 'yes');
  });

  test('equivalence is reflexive and holds between a number and its normal form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), (num, den) => {
        const frac = `\\frac{${num}}{${den}}`;
        assert.ok(answersEquivalent(frac, frac));
        assert.ok(answersEquivalent(normalizeAnswer(frac), frac));
        assert.ok(answersEquivalent(`${num}/${den}`, frac));
      }),
    );
  });

  test('grouping digits in thousands never changes the value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        assert.ok(answersEquivalent(n.toLocaleString('en-US'), String(n)));
        assert.ok(!answersEquivalent(n.toLocaleString('en-US'), String(n + 1)));
      }),
    );
  });
});
