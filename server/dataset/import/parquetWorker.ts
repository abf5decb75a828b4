/**
 * Decodes Parquet files in a worker thread, one row group per request, so that a file that sends
 * the decoder into an endless loop or exhausts memory costs a terminated worker, not the server.
 * The worker serves one request at a time and is reused for later files (see parquet.ts).
 */
import { parentPort } from 'node:worker_threads';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/** A request from the main thread. */
export type DecoderRequest = { type: 'open'; path: string } | { type: 'read'; group: number };

/** A reply from the worker. */
export type DecoderReply =
  | { type: 'meta'; groups: { rowStart: number; rowEnd: number }[] }
  | { type: 'fatal'; message: string }
  | { type: 'rows'; group: number; rows: Record<string, unknown>[] }
  | { type: 'groupError'; group: number; message: string };

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface OpenFile {
  file: AsyncBuffer;
  metadata: FileMetaData;
  groups: { rowStart: number; rowEnd: number }[];
}

let open: OpenFile | null = null;

async function handle(request: DecoderRequest): Promise<DecoderReply> {
  if (request.type === 'open') {
    open = null;
    try {
      const file = await asyncBufferFromFile(request.path);
      const metadata = await parquetMetadataAsync(file);
      const groups: OpenFile['groups'] = [];
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        groups.push({ rowStart, rowEnd });
        rowStart = rowEnd;
      }
      open = { file, metadata, groups };
      return { type: 'meta', groups };
    } catch (err) {
      return { type: 'fatal', message: message(err) };
    }
  }
  const range = open?.groups[request.group];
  if (!open || !range) return { type: 'groupError', group: request.group, message: 'no such row group' };
  try {
    const rows = await parquetReadObjects({ file: open.file, metadata: open.metadata, rowStart: range.rowStart, rowEnd: range.rowEnd, compressors });
    return { type: 'rows', group: request.group, rows };
  } catch (err) {
    return { type: 'groupError', group: request.group, message: message(err) };
  }
}

// On corrupt input the decoder can leave a sibling promise's rejection unobserved; the read that
// is awaited rejects too (or the main thread's time limit ends it), so nothing is lost here.
process.on('unhandledRejection', () => undefined);
parentPort!.on('message', (request: DecoderRequest) => {
  void handle(request).then((reply) => parentPort!.postMessage(reply));
});
