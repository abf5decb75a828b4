/**
 * s1's supervised fine-tuning text. s1 builds each example with the Qwen2.5 chat template from a
 * user turn holding the question and an assistant turn
 * "<|im_start|>think\n{thinking}\n<|im_start|>answer\n{answer}", where the answer gets an
 * "Answer: " prefix unless it already contains "Answer:" (the released s1 data preparation,
 * simplescaling/s1 data/tokenization.py, `process_cot_example`; the thinking and the answer are
 * stripped of surrounding whitespace). The template adds Qwen's default system turn and a
 * newline after each <|im_end|>.
 */
import type { DatasetRecord } from '../../../protocol/dataset';

/** Qwen2.5's default system prompt, which its chat template inserts when none is given. */
export const QWEN_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

/** The training text of a record; null when it has no answer to train on. */
export function s1TrainingText(record: Pick<DatasetRecord, 'question' | 'thinking' | 'attempt'>, systemPrompt = QWEN_DEFAULT_SYSTEM): string | null {
  if (record.attempt === null || record.attempt.trim() === '') return null;
  const answer = record.attempt.includes('Answer:') ? record.attempt : `Answer: ${record.attempt}`;
  const assistant = `<|im_start|>think\n${record.thinking.trim()}\n<|im_start|>answer\n${answer.trim()}`;
  return (
    `<|im_start|>system\n${systemPrompt}<|im_end|>\n` +
    `<|im_start|>user\n${record.question}<|im_end|>\n` +
    `<|im_start|>assistant\n${assistant}<|im_end|>\n`
  );
}
