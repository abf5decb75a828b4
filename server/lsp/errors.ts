/** Maps failures to JSON-RPC errors that carry a clear message and a machine-readable reason. */
import { ResponseError } from 'vscode-languageserver';
import type { ServerErrorData } from '../../protocol/rpc';
import { SettingsError } from '../core/validate';
import { BudgetError } from '../engine/forcing';
import { ModelFileError } from '../engine/modelCheck';
import { PromptTemplateError } from '../engine/prompt';

/** JSON-RPC error codes in the implementation-defined range. */
const CODES: Record<ServerErrorData['code'], number> = {
  'bad-request': -32602,
  'model-file': -32001,
  'model-load': -32002,
  busy: -32003,
  cancelled: -32800,
  engine: -32004,
  io: -32005,
};

export function toResponseError(error: unknown): ResponseError<ServerErrorData> {
  if (error instanceof ResponseError) return error as ResponseError<ServerErrorData>;
  const message = error instanceof Error ? error.message : String(error);
  let data: ServerErrorData;
  if (error instanceof SettingsError || error instanceof BudgetError || error instanceof PromptTemplateError) {
    data = { code: 'bad-request' };
  } else if (error instanceof ModelFileError) {
    data = { code: 'model-file', path: error.path };
  } else if (isNodeError(error) && error.path) {
    data = { code: 'io', path: error.path };
  } else {
    data = { code: 'engine' };
  }
  return new ResponseError(CODES[data.code], message, data);
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
