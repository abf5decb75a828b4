import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QWEN_DEFAULT_SYSTEM, s1TrainingText } from '../../../../server/dataset/export/trainingText';

test("builds s1's training text: Qwen chat template, think and answer sections, Answer: prefix", () => {
  assert.equal(
    s1TrainingText({ question: 'What is 1+1?', thinking: '\n1 plus 1 is 2.\n', attempt: '2 ' }),
    `<|im_start|>system\n${QWEN_DEFAULT_SYSTEM}<|im_end|>\n` +
      '<|im_start|>user\nWhat is 1+1?<|im_end|>\n' +
      '<|im_start|>assistant\n<|im_start|>think\n1 plus 1 is 2.\n<|im_start|>answer\nAnswer: 2<|im_end|>\n',
  );
});

test('keeps an answer that already says "Answer:" and takes a system prompt', () => {
  const text = s1TrainingText({ question: 'Q', thinking: 'T', attempt: 'So. Answer: 4' }, 'Think.');
  assert.equal(text, '<|im_start|>system\nThink.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<|im_start|>think\nT\n<|im_start|>answer\nSo. Answer: 4<|im_end|>\n');
});

test('no text for a record without an answer', () => {
  assert.equal(s1TrainingText({ question: 'Q', thinking: 'T', attempt: null }), null);
  assert.equal(s1TrainingText({ question: 'Q', thinking: 'T', attempt: '  ' }), null);
});
