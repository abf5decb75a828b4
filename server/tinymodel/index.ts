/** The embedded tiny reasoning model (GGUF generator). */
export {
  buildTinyModel,
  DEFAULT_TINY_MODEL_FILE,
  ensureDefaultModel,
  TINY_MODEL_NAME,
  writeTinyModel,
  type TinyModelOptions,
} from './tinyModel';
export { TINY_CHAT_TEMPLATE, tinyChatPrompt } from './chatTemplate';
export { TINY_ARCHITECTURE } from './weights';
export { SPECIAL_TOKENS } from './vocabulary';
