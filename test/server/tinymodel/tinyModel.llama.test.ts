/**
 * The tiny model in the real node-llama-cpp: it loads, its tokenizer round-trips text exactly,
 * and it generates a reasoning trace that ends thinking by itself, reacts to "Wait", and answers.
 * Every file handed to node-llama-cpp here passes inspectModelFile first (a bad file would abort
 * the test process).
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getLlama, LlamaLogLevel, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';
import { inspectModelFile } from '../../../server/engine/modelCheck';
import { tinyChatPrompt, writeTinyModel } from '../../../server/tinymodel';
import { corpusSequences } from '../../../server/tinymodel/bigrams';
import { vocabularyWords } from '../../../server/tinymodel/corpus';
import { buildVocabulary, SPACE_MARKER } from '../../../server/tinymodel/vocabulary';

let dir: string;
let model: LlamaModel;
let context: LlamaContext;
let thinkEnd: Token;

before(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'thinkscope-llama-'));
  const path = join(dir, 'tiny.gguf');
  await writeTinyModel(path, { seed: 0 });
  await inspectModelFile(path); // throws, instead of letting llama.cpp abort, if the file were bad
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: path });
  context = await model.createContext({ contextSize: 2048, threads: 1 });
  thinkEnd = model.tokenize('</think>', true)[0]!;
});
after(async () => {
  await context?.dispose();
  await model?.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

interface Run {
  text: string;
  /** 1-based positions (in generated tokens) where the model sampled </think>. */
  ends: number[];
  /** 1-based position of end of sequence, or -1. */
  eos: number;
}

/**
 * Generates from a chat prompt. `onEnd` may replace a sampled </think> (return the replacement
 * text) or let it through (return null); `forceAt` injects text after that many tokens.
 */
async function generate(
  question: string,
  options: { temperature?: number; seed?: number; limit?: number; onEnd?: (n: number) => string | null; forceAt?: [number, string] } = {},
): Promise<Run> {
  const sequence = context.getSequence();
  try {
    const prompt = [model.tokens.bos!, ...model.tokenize(tinyChatPrompt(question), true)];
    const generator = sequence.evaluate(prompt, {
      temperature: options.temperature ?? 0,
      seed: options.seed ?? 1,
      yieldEogToken: true,
    });
    const out: Token[] = [];
    const ends: number[] = [];
    let eos = -1;
    let step = await generator.next();
    while (!step.done && out.length < (options.limit ?? 600)) {
      const token = step.value;
      let replacement: string | null = null;
      if (options.forceAt && out.length === options.forceAt[0]) replacement = options.forceAt[1];
      else if (token === thinkEnd) {
        ends.push(out.length + 1);
        replacement = options.onEnd?.(ends.length) ?? null;
      }
      if (replacement !== null) {
        const injected = model.tokenize(replacement, true);
        out.push(...injected);
        step = await generator.next(injected);
        continue;
      }
      out.push(token);
      if (token === model.tokens.eos) {
        eos = out.length;
        break;
      }
      step = await generator.next();
    }
    await generator.return();
    return { text: model.detokenize(out, true), ends, eos };
  } finally {
    sequence.dispose();
  }
}

describe('the tiny model in node-llama-cpp', () => {
  test('has the special tokens as single tokens', () => {
    assert.equal(model.tokens.bos, 1);
    assert.equal(model.tokens.eos, 2);
    for (const special of ['<think>', '</think>', '<|im_start|>', '<|im_end|>']) {
      const ids = model.tokenize(special, true);
      assert.equal(ids.length, 1, special);
      assert.equal(model.detokenize(ids, true), special);
    }
  });

  test('tokenizes and detokenizes text exactly, special tokens included', () => {
    const texts = [
      tinyChatPrompt('What is 3 + 4? Café → résumé ≈ 5 × 2'),
      '<think>\nHmm, wait. Let me check: 12 ÷ 4 = 3.\n</think>\n\nFinal Answer: \\boxed{3}',
      'Unknown words, tabs\tand emoji 🙂 and 中文 fall back to bytes.',
      '  two leading spaces',
    ];
    for (const text of texts) {
      const ids = model.tokenize(text, true);
      assert.equal(model.detokenize(ids, true), text);
    }
    // Word tokens, not byte tokens, for the words of traces.
    assert.deepEqual(
      model.tokenize('Wait, the answer is', true).map((t) => model.detokenize([t], true)),
      ['Wait', ',', ' the', ' answer', ' is'],
    );
  });

  test('its tokenizer splits the corpus exactly as the generator assumed', () => {
    const vocab = buildVocabulary(vocabularyWords());
    for (const sample of corpusSequences(vocab)) {
      const ids = sample.slice(1).map((t) => t.id); // without <think>, which is the prompt's
      const text = ids.map((id) => vocab.tokens[id]).join('').split(SPACE_MARKER).join(' ');
      assert.deepEqual(model.tokenize(text, true), ids);
    }
  });

  test('greedy decoding ends thinking by itself, then answers and stops', async () => {
    const run = await generate('What is 3 + 4?');
    assert.equal(run.ends.length, 1, run.text);
    const end = run.ends[0]!;
    assert.ok(end >= 40 && end <= 250, `</think> after ${end} tokens`);
    assert.ok(run.eos > end && run.eos - end <= 40, `end of sequence at ${run.eos}: ${run.text}`);
    const [thinking, answer] = run.text.split('</think>');
    assert.match(thinking!, /\n\n/, 'thinking has paragraphs');
    assert.match(thinking!, /\b(Hmm|So|Therefore|Let me)\b/);
    assert.match(answer!, /\d/, 'the answer has a number');
    assert.ok(answer!.endsWith('</s>'));
  });

  test('sampled traces end thinking within 20–300 tokens and reach end of sequence', async () => {
    for (const [i, temperature] of [0.7, 0.8, 1.0, 1.0].entries()) {
      const run = await generate(['How many legs do 3 cats have?', 'Solve x + 7 = 12.', 'Is 91 prime?', 'What is 2^10?'][i]!, {
        temperature,
        seed: 100 + i,
      });
      const end = run.ends[0] ?? -1;
      assert.ok(end >= 20 && end <= 300, `T=${temperature}: </think> after ${end} tokens`);
      assert.ok(run.eos > end, `T=${temperature}: no end of sequence`);
    }
  });

  test('"Wait" in place of </think> makes it think a while longer, each time', async () => {
    const run = await generate('What is 3 + 4?', { onEnd: (n) => (n <= 3 ? 'Wait' : null) });
    assert.equal(run.ends.length, 4, run.text);
    for (let i = 1; i < 4; i++) {
      const gap = run.ends[i]! - run.ends[i - 1]!;
      assert.ok(gap >= 10 && gap <= 80, `gap ${gap} after Wait ${i}`);
    }
    assert.equal(run.text.split('Wait').length - 1, 3);
    assert.ok(run.eos > 0);
  });

  test('a forced end of thinking gets a short answer', async () => {
    const run = await generate('What is 3 + 4?', { forceAt: [15, '\n</think>\n\nFinal Answer:'] });
    const answer = run.text.split('Final Answer:')[1]!;
    assert.ok(run.eos > 0, run.text);
    assert.match(answer, /^ \d+/);
    assert.ok(answer.length < 60, answer);
    assert.ok(!answer.includes('</think>'));
  });
});
