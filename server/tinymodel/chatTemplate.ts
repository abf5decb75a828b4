/**
 * The tiny model's chat template: ChatML whose generation prompt opens a thinking block, so
 * rendering one user message gives
 * `<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n<think>\n`.
 */

/** Jinja source stored in `tokenizer.chat_template`. */
export const TINY_CHAT_TEMPLATE =
  "{%- for message in messages -%}" +
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}" +
  '{%- endfor -%}' +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n<think>\\n' -}}{%- endif -%}";

/** The prompt the template renders for one user question (with the generation prompt). */
export function tinyChatPrompt(question: string): string {
  return `<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n<think>\n`;
}
