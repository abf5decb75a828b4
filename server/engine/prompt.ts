/**
 * Builds the exact prompt text for a question, and finds a model's thinking delimiters.
 *
 * The model's own chat template (Jinja, from the GGUF) is rendered with a single user message and
 * the generation prompt; thinking is then opened with the start delimiter unless the template
 * already did. A user prompt template (`{question}` placeholder) overrides the model's.
 */
import { Template } from '@huggingface/jinja';
import type { Delimiters } from '../../protocol/trace';

/** `<think>` … `</think>`: DeepSeek-R1, QwQ, Qwen3. */
export const TAG_DELIMITERS: Delimiters = { thinkStart: '<think>', thinkEnd: '</think>' };
/** `<|im_start|>think` … `<|im_start|>answer`: s1 / s1.1. */
export const S1_DELIMITERS: Delimiters = { thinkStart: '<|im_start|>think', thinkEnd: '<|im_start|>answer' };

/** ChatML, used when a model has no chat template. */
export const CHATML_FALLBACK = '<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n';

/**
 * The delimiters a model uses: `<think>` tags when its template or vocabulary knows them, s1's
 * `<|im_start|>think` when the template uses it, tags otherwise.
 */
export function detectDelimiters(chatTemplate: string | null, hasToken: (text: string) => boolean): Delimiters {
  if (chatTemplate?.includes('<|im_start|>think')) return S1_DELIMITERS;
  if (chatTemplate?.includes('</think>') || hasToken('</think>')) return TAG_DELIMITERS;
  if (hasToken('<|im_start|>') && !hasToken('<think>')) return S1_DELIMITERS;
  return TAG_DELIMITERS;
}

export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptTemplateError';
  }
}

/** Renders the prompt that precedes the first thinking token. */
export function buildPrompt(
  question: string,
  delimiters: Delimiters,
  options: { chatTemplate: string | null; promptTemplate?: string | null; bosToken?: string; eosToken?: string },
): string {
  let text: string;
  if (options.promptTemplate) {
    if (!options.promptTemplate.includes('{question}')) {
      throw new PromptTemplateError('The prompt template must contain {question} where the question goes');
    }
    text = options.promptTemplate.split('{question}').join(question);
  } else if (options.chatTemplate) {
    try {
      text = new Template(options.chatTemplate).render({
        messages: [{ role: 'user', content: question }],
        add_generation_prompt: true,
        // The tokenizer adds BOS itself.
        bos_token: '',
        eos_token: options.eosToken ?? '',
      });
    } catch (error) {
      throw new PromptTemplateError(
        `The model's chat template could not be rendered (${(error as Error).message}); set thinkscope.promptTemplate`,
      );
    }
  } else {
    text = CHATML_FALLBACK.split('{question}').join(question);
  }
  return openThinking(text, delimiters.thinkStart);
}

/** Appends the start delimiter and a newline unless the prompt already ends inside a thinking block. */
export function openThinking(prompt: string, thinkStart: string): string {
  const trimmed = prompt.replace(/\s+$/, '');
  if (trimmed.endsWith(thinkStart)) return prompt.endsWith('\n') ? prompt : `${trimmed}\n`;
  return `${prompt}${thinkStart}\n`;
}
