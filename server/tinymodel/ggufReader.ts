/**
 * Reads the header of a GGUF file (versions 2 and 3): metadata and tensor infos, never the tensor
 * data. It streams through the file in chunks and never allocates more than the limits below, so
 * a hostile or damaged file (absurd string lengths, billions of array items, cut short) gives a
 * `GgufFormatError` instead of exhausting memory.
 */
import {
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_MAX_DIMS,
  GGUF_MAX_TENSOR_NAME_BYTES,
  GGUF_SCALAR_SIZES,
  GGUF_VALUE_TYPE_NAMES,
  GgufValueType,
} from './ggufFormat';

/** What is wrong with GGUF data. */
export type GgufErrorCode = 'not-gguf' | 'unsupported-version' | 'truncated' | 'bad-metadata' | 'bad-tensor';

/** A problem in GGUF data. `detail` is a predicate about the file ("is cut short: …"). */
export class GgufFormatError extends Error {
  constructor(
    readonly code: GgufErrorCode,
    readonly detail: string,
  ) {
    super(`The GGUF data ${detail}`);
    this.name = 'GgufFormatError';
  }
}

/** Random-access reads from the file: fills `buffer` from `position`, returns the bytes read (0 at the end). */
export type ReadAt = (buffer: Uint8Array, position: number) => Promise<number>;

/** A metadata array: its item type and length; the items only for keys listed in `keepStringArrays`. */
export interface GgufArray {
  kind: 'array';
  itemType: number;
  length: number;
  strings?: string[];
}

/** A string longer than `maxRetainedStringBytes`: its length only. */
export interface GgufLongString {
  kind: 'long-string';
  bytes: number;
}

/** A metadata value; 64-bit integers beyond 2^53 stay bigint. */
export type GgufMetadataValue = number | bigint | boolean | string | GgufArray | GgufLongString;

/** One tensor info. */
export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] is the row length. */
  dims: number[];
  type: number;
  /** Offset from the start of the tensor data section. */
  offset: number;
}

/** Everything before the tensor data. */
export interface GgufHeader {
  version: number;
  /** Metadata in file order. */
  metadata: Map<string, GgufMetadataValue>;
  /** The stored value type of each key (GgufValueType). */
  valueTypes: Map<string, number>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** File offset where the tensor data section starts. */
  dataOffset: number;
}

/** Limits that keep a hostile file from making the reader allocate much. */
export interface GgufReadOptions {
  /** String arrays whose items are returned (e.g. the vocabulary). */
  keepStringArrays?: ReadonlySet<string>;
  /** Longest string accepted at all (default 16 MiB). */
  maxStringBytes?: number;
  /** Longest string value kept in `metadata` (default 1 MiB); longer ones become GgufLongString. */
  maxRetainedStringBytes?: number;
  /** Most items an array may declare (default 2^28). */
  maxArrayLength?: number;
}

const MAX_KEY_BYTES = 65_536;
const MAX_COUNT = 1 << 24;
const CHUNK = 1 << 20;

/** Reads and checks the header of a GGUF file of `size` bytes. */
export async function readGgufHeader(readAt: ReadAt, size: number, options: GgufReadOptions = {}): Promise<GgufHeader> {
  const r = new StreamReader(readAt, size);
  const maxString = options.maxStringBytes ?? 16 * 1024 * 1024;
  const maxRetained = options.maxRetainedStringBytes ?? 1024 * 1024;
  const maxArray = options.maxArrayLength ?? 1 << 28;
  const keep = options.keepStringArrays ?? new Set<string>();

  await readMagic(r, size);
  await r.need(4, 'the version');
  const version = r.u32();
  if (version !== 2 && version !== 3) {
    const hint =
      version === 1
        ? ' (GGUF version 1 is obsolete; convert the model again)'
        : version > 0xffff
          ? ' (the file looks big-endian, which llama.cpp cannot load here)'
          : '';
    throw new GgufFormatError('unsupported-version', `has GGUF version ${version}; only versions 2 and 3 are supported${hint}`);
  }
  await r.need(16, 'the header');
  const tensorCount = countOf(r.u64(), 'tensors', 'bad-tensor', r, 8 + 4 + 4 + 8);
  const kvCount = countOf(r.u64(), 'metadata entries', 'bad-metadata', r, 8 + 4);

  const metadata = new Map<string, GgufMetadataValue>();
  const valueTypes = new Map<string, number>();
  const readString = async (what: string, limit: number): Promise<string | GgufLongString> => {
    await r.need(8, what);
    const length = r.u64();
    if (length > BigInt(limit)) {
      throw new GgufFormatError('bad-metadata', `declares ${what} of ${length} bytes, more than the ${limit}-byte limit`);
    }
    const n = Number(length);
    if (n > maxRetained) {
      r.skip(n, what);
      return { kind: 'long-string', bytes: n };
    }
    await r.need(n, what);
    return r.utf8(n);
  };

  for (let i = 0; i < kvCount; i++) {
    const key = await readString(`the name of metadata entry ${i}`, MAX_KEY_BYTES);
    if (typeof key !== 'string' || key === '') {
      throw new GgufFormatError('bad-metadata', `has an empty metadata key (entry ${i})`);
    }
    if (metadata.has(key)) throw new GgufFormatError('bad-metadata', `has the metadata key ${key} twice`);
    await r.need(4, `the type of metadata key ${key}`);
    const type = r.u32();
    valueTypes.set(key, type);
    if (type === GgufValueType.ARRAY) {
      await r.need(12, `the array header of metadata key ${key}`);
      const itemType = r.u32();
      const declared = r.u64();
      if (itemType === GgufValueType.ARRAY) {
        throw new GgufFormatError('bad-metadata', `has nested arrays in metadata key ${key}, which llama.cpp does not accept`);
      }
      const itemSize = itemType === GgufValueType.STRING ? 8 : GGUF_SCALAR_SIZES[itemType];
      if (itemSize === undefined) throw badType(key, itemType);
      if (declared > BigInt(maxArray)) {
        throw new GgufFormatError('bad-metadata', `declares ${declared} items in metadata key ${key}, more than the limit of ${maxArray}`);
      }
      const length = Number(declared);
      if (length * itemSize > r.remaining) {
        throw new GgufFormatError(
          'truncated',
          `is cut short: metadata key ${key} declares ${length} items, which need at least ${length * itemSize} bytes, but only ${r.remaining} remain`,
        );
      }
      const array: GgufArray = { kind: 'array', itemType, length };
      if (itemType === GgufValueType.STRING) {
        const strings: string[] | undefined = keep.has(key) ? [] : undefined;
        for (let j = 0; j < length; j++) {
          // Most items are short and already buffered: read them without awaiting.
          const s = r.bufferedString(maxRetained) ?? (await readString(`item ${j} of metadata key ${key}`, maxString));
          strings?.push(typeof s === 'string' ? s : '');
        }
        if (strings) array.strings = strings;
      } else {
        r.skip(length * itemSize, `metadata key ${key}`);
      }
      metadata.set(key, array);
    } else if (type === GgufValueType.STRING) {
      metadata.set(key, await readString(`the value of metadata key ${key}`, maxString));
    } else {
      const size = GGUF_SCALAR_SIZES[type];
      if (size === undefined) throw badType(key, type);
      await r.need(size, `the value of metadata key ${key}`);
      metadata.set(key, r.scalar(type));
    }
  }

  const alignment = readAlignment(metadata, valueTypes);
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = await readString(`the name of tensor ${i}`, MAX_KEY_BYTES);
    if (typeof name !== 'string') throw new GgufFormatError('bad-tensor', `has an absurdly long name for tensor ${i}`);
    if (new TextEncoder().encode(name).length > GGUF_MAX_TENSOR_NAME_BYTES) {
      throw new GgufFormatError('bad-tensor', `has a tensor name longer than ${GGUF_MAX_TENSOR_NAME_BYTES} bytes: ${name}`);
    }
    if (names.has(name)) throw new GgufFormatError('bad-tensor', `has two tensors named ${name}`);
    names.add(name);
    await r.need(4, `the dimension count of tensor ${name}`);
    const nDims = r.u32();
    if (nDims > GGUF_MAX_DIMS) {
      throw new GgufFormatError('bad-tensor', `gives tensor ${name} ${nDims} dimensions; at most ${GGUF_MAX_DIMS} are allowed`);
    }
    await r.need(8 * nDims + 12, `the info of tensor ${name}`);
    const dims: number[] = [];
    let elements = 1n;
    for (let d = 0; d < nDims; d++) {
      const dim = r.i64();
      if (dim < 0n) throw new GgufFormatError('bad-tensor', `gives tensor ${name} a negative dimension (${dim})`);
      elements *= dim;
      if (elements > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new GgufFormatError('bad-tensor', `gives tensor ${name} an absurd shape (more than 2^53 elements)`);
      }
      dims.push(Number(dim));
    }
    const type = r.u32();
    const traits = GGML_TYPES[type];
    if (!traits) throw new GgufFormatError('bad-tensor', `gives tensor ${name} the unknown ggml type ${type}`);
    if (nDims > 0 && dims[0]! % traits.blockSize !== 0) {
      throw new GgufFormatError(
        'bad-tensor',
        `gives tensor ${name} rows of ${dims[0]} elements, not a multiple of the ${traits.name} block size ${traits.blockSize}`,
      );
    }
    const offset = r.u64();
    if (offset > BigInt(size)) {
      throw new GgufFormatError('bad-tensor', `places tensor ${name} at offset ${offset}, beyond the end of the ${size}-byte file`);
    }
    if (offset % BigInt(alignment) !== 0n) {
      throw new GgufFormatError('bad-tensor', `places tensor ${name} at offset ${offset}, which is not a multiple of the alignment ${alignment}`);
    }
    tensors.push({ name, dims, type, offset: Number(offset) });
  }
  const dataOffset = tensorCount > 0 ? Math.ceil(r.position / alignment) * alignment : r.position;
  checkTensorLayout(tensors, dataOffset, alignment, size);
  return { version, metadata, valueTypes, tensors, alignment, dataOffset };
}

/** Bytes a tensor's data takes. */
export function tensorByteSize(tensor: GgufTensorInfo): number {
  const traits = GGML_TYPES[tensor.type]!;
  const elements = tensor.dims.reduce((a, b) => a * b, 1);
  return (elements / traits.blockSize) * traits.typeSize;
}

/**
 * Tensors must follow one another in order, each padded to the alignment (llama.cpp refuses any
 * other layout), and the last must end inside the file.
 */
function checkTensorLayout(tensors: GgufTensorInfo[], dataOffset: number, alignment: number, size: number): void {
  let expected = 0;
  for (const t of tensors) {
    if (t.offset !== expected) {
      throw new GgufFormatError('bad-tensor', `places tensor ${t.name} at offset ${t.offset}, expected ${expected}`);
    }
    const end = dataOffset + t.offset + tensorByteSize(t);
    if (end > size) {
      throw new GgufFormatError(
        'truncated',
        `is cut short: tensor ${t.name} needs bytes up to ${end} but the file has ${size}`,
      );
    }
    expected = Math.ceil((t.offset + tensorByteSize(t)) / alignment) * alignment;
  }
}

async function readMagic(r: StreamReader, size: number): Promise<void> {
  if (size === 0) throw new GgufFormatError('not-gguf', 'is not a GGUF model file (it is empty)');
  const n = Math.min(4, size);
  await r.need(n, 'the magic');
  const bytes = r.bytes(n);
  const magic = new TextEncoder().encode(GGUF_MAGIC);
  if (n < 4 || bytes.some((b, i) => b !== magic[i])) {
    throw new GgufFormatError(
      'not-gguf',
      `is not a GGUF model file (it starts with "${escapeBytes(bytes)}", expected "${GGUF_MAGIC}")`,
    );
  }
}

function readAlignment(metadata: Map<string, GgufMetadataValue>, types: Map<string, number>): number {
  const value = metadata.get('general.alignment');
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (types.get('general.alignment') !== GgufValueType.UINT32 || typeof value !== 'number') {
    throw new GgufFormatError('bad-metadata', 'stores general.alignment with a type other than uint32');
  }
  if (value === 0 || (value & (value - 1)) !== 0) {
    throw new GgufFormatError('bad-metadata', `has general.alignment ${value}, which is not a power of two`);
  }
  return value;
}

function countOf(value: bigint, what: string, code: GgufErrorCode, r: StreamReader, minBytesEach: number): number {
  if (value > BigInt(MAX_COUNT)) {
    throw new GgufFormatError(code, `declares ${value} ${what}, an absurd number`);
  }
  const n = Number(value);
  if (n * minBytesEach > r.remaining) {
    throw new GgufFormatError('truncated', `is cut short: it declares ${n} ${what} but has only ${r.remaining} bytes left`);
  }
  return n;
}

function badType(key: string, type: number): GgufFormatError {
  return new GgufFormatError('bad-metadata', `gives metadata key ${key} the unknown value type ${type}`);
}

/** Printable form of some bytes, like a JavaScript string literal ("PK\x03\x04"). */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Sequential little-endian reads through a window of the file. */
class StreamReader {
  private buffer = new Uint8Array(0);
  private view = new DataView(this.buffer.buffer);
  private start = 0;
  private pos = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly readAt: ReadAt,
    private readonly size: number,
  ) {}

  get position(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.size - this.pos;
  }

  /** Makes the next `n` bytes available; `what` names them in the error when the file ends first. */
  async need(n: number, what: string): Promise<void> {
    if (this.pos + n <= this.start + this.buffer.length) return;
    if (this.pos + n > this.size) {
      throw new GgufFormatError(
        'truncated',
        `is cut short: it ends at byte ${this.size} while reading ${what} (${n} bytes at offset ${this.pos})`,
      );
    }
    const length = Math.min(Math.max(n, CHUNK), this.size - this.pos);
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const got = await this.readAt(buffer.subarray(filled), this.pos + filled);
      if (got === 0) break;
      filled += got;
    }
    if (filled < n) {
      throw new GgufFormatError('truncated', `is cut short: it ends at byte ${this.pos + filled} while reading ${what}`);
    }
    this.buffer = buffer.subarray(0, filled);
    this.view = new DataView(buffer.buffer, 0, filled);
    this.start = this.pos;
  }

  /** The next string when its length and bytes are already buffered and it is short enough; else null. */
  bufferedString(maxBytes: number): string | null {
    const at = this.pos - this.start;
    if (at + 8 > this.buffer.length) return null;
    const length = this.view.getBigUint64(at, true);
    if (length > BigInt(maxBytes) || at + 8 + Number(length) > this.buffer.length) return null;
    this.pos += 8;
    return this.utf8(Number(length));
  }

  skip(n: number, what: string): void {
    if (this.pos + n > this.size) {
      throw new GgufFormatError('truncated', `is cut short: ${what} runs past the end of the file (byte ${this.size})`);
    }
    this.pos += n;
  }

  private take(n: number): number {
    const at = this.pos - this.start;
    this.pos += n;
    return at;
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return this.buffer.slice(at, at + n);
  }
  utf8(n: number): string {
    const at = this.take(n);
    return this.decoder.decode(this.buffer.subarray(at, at + n));
  }
  scalar(type: number): number | bigint | boolean {
    const v = this.view;
    switch (type) {
      case GgufValueType.UINT8:
        return v.getUint8(this.take(1));
      case GgufValueType.INT8:
        return v.getInt8(this.take(1));
      case GgufValueType.UINT16:
        return v.getUint16(this.take(2), true);
      case GgufValueType.INT16:
        return v.getInt16(this.take(2), true);
      case GgufValueType.UINT32:
        return v.getUint32(this.take(4), true);
      case GgufValueType.INT32:
        return v.getInt32(this.take(4), true);
      case GgufValueType.FLOAT32:
        return v.getFloat32(this.take(4), true);
      case GgufValueType.BOOL:
        return v.getUint8(this.take(1)) !== 0;
      case GgufValueType.UINT64:
        return safeInteger(v.getBigUint64(this.take(8), true));
      case GgufValueType.INT64:
        return safeInteger(v.getBigInt64(this.take(8), true));
      case GgufValueType.FLOAT64:
        return v.getFloat64(this.take(8), true);
      default:
        throw new GgufFormatError('bad-metadata', `uses the unknown value type ${GGUF_VALUE_TYPE_NAMES[type] ?? type}`);
    }
  }
}

function safeInteger(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}
