/**
 * One streamed completions request: sends the body, reads the server-sent events, and yields each
 * chunk normalized. A server error in the stream, a chunk that is not valid, and a stream that ends
 * before its finish reason all become RemoteEngineErrors that name the chunk and the endpoint.
 */
import { RemoteEngineError } from './errors';
import type { RemoteHttpClient } from './http';
import { readSseEvents, SSE_DONE } from './sse';
import { ChunkFormatError, chunkExcerpt, normalizeChunk, serverErrorMessage, type CompletionChunk, type CompletionRequestBody } from './wire';

/**
 * Streams the completion of `body`. The generator finishes after the chunk that carries a finish
 * reason (and any usage chunk that follows it); breaking out of it early closes the connection.
 */
export async function* streamCompletion(
  http: RemoteHttpClient,
  body: CompletionRequestBody,
  signal?: AbortSignal,
  onRetry?: () => void,
): AsyncGenerator<CompletionChunk, void, void> {
  const path = '/completions';
  const response = await http.open('POST', path, body, { ...(signal ? { signal } : {}), ...(onRetry ? { onRetry } : {}) });
  const url = http.url(path);
  let finished = false;
  try {
    if (!response.contentType.includes('text/event-stream')) {
      // A server that does not stream answers with one JSON document.
      const chunks: Uint8Array[] = [];
      for await (const c of response.body) chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const chunk = parseData(text, 1, http, url);
      if (chunk.finishReason === null) throw truncated(http, url, 1);
      yield chunk;
      return;
    }
    let index = 0;
    for await (const event of readSseEvents(response.body)) {
      if (event.data === SSE_DONE) {
        if (!finished) throw truncated(http, url, index);
        return;
      }
      index++;
      const chunk = parseData(event.data, index, http, url);
      if (chunk.finishReason !== null) finished = true;
      // After the finish, only a usage chunk may follow.
      yield chunk;
    }
    if (!finished) throw truncated(http, url, index);
  } finally {
    response.close();
  }
}

function truncated(http: RemoteHttpClient, url: string, chunks: number): RemoteEngineError {
  return new RemoteEngineError(
    'interrupted',
    `The stream from the remote engine at ${http.endpoint} (${url}) ended after ${chunks} chunk${chunks === 1 ? '' : 's'} without a finish reason`,
    null,
    true,
  );
}

function parseData(data: string, index: number, http: RemoteHttpClient, url: string): CompletionChunk {
  const name = `chunk #${index} of the stream from ${url}`;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new RemoteEngineError('malformed', `The remote engine at ${http.endpoint} sent a malformed ${name}: not JSON: ${http.redact(chunkExcerpt(data))}`);
  }
  const error = serverErrorMessage(value);
  if (error !== null) {
    throw new RemoteEngineError('server', `The remote engine at ${http.endpoint} reported an error in ${name}: ${http.redact(error)}`);
  }
  try {
    return normalizeChunk(value);
  } catch (e) {
    if (e instanceof ChunkFormatError) {
      throw new RemoteEngineError(
        'malformed',
        `The remote engine at ${http.endpoint} sent a malformed ${name}: ${e.message}: ${http.redact(chunkExcerpt(data))}`,
      );
    }
    throw e;
  }
}
