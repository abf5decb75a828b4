/**
 * Writes GGUF v3 files: header, typed metadata, tensor infos, alignment padding and tensor data.
 *
 * Tensors are laid out in the order they were added, each starting at a multiple of the
 * alignment, which is the layout llama.cpp requires. Tensor dimensions are in ggml order: `dims[0]`
 * is the length of a row.
 */
import { toFloat16Bits } from './float16';
import { alignUp, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgmlType, GgufValueType } from './ggufFormat';

/** A typed metadata value. */
export type GgufValue =
  | { type: 'uint32'; value: number }
  | { type: 'int32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'float32[]'; value: readonly number[] }
  | { type: 'int32[]'; value: readonly number[] };

/** One metadata entry. */
export interface GgufMetadataEntry {
  key: string;
  value: GgufValue;
}

/** How tensor elements are stored. */
export type GgufTensorType = 'f32' | 'f16';

/** One tensor: its name, ggml-order dimensions, storage type and values (row-major, rows of `dims[0]`). */
export interface GgufTensor {
  name: string;
  dims: readonly number[];
  type: GgufTensorType;
  data: Float32Array;
}

/** Serializes metadata and tensors into the bytes of a GGUF v3 file. */
export function writeGguf(
  metadata: readonly GgufMetadataEntry[],
  tensors: readonly GgufTensor[],
  alignment: number = GGUF_DEFAULT_ALIGNMENT,
): Uint8Array {
  checkUnique(metadata.map((m) => m.key), 'metadata key');
  checkUnique(tensors.map((t) => t.name), 'tensor name');
  const out = new ByteSink();
  out.bytes(new TextEncoder().encode(GGUF_MAGIC));
  out.u32(GGUF_VERSION);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const entry of metadata) writeEntry(out, entry);

  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(
        `Tensor ${tensor.name} has ${tensor.data.length} values but its dimensions [${tensor.dims.join(', ')}] need ${elements}`,
      );
    }
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const d of tensor.dims) out.u64(d);
    out.u32(tensor.type === 'f32' ? GgmlType.F32 : GgmlType.F16);
    out.u64(offset);
    offsets.push(offset);
    offset = alignUp(offset + tensorBytes(tensor), alignment);
  }

  out.padTo(alignment);
  const dataStart = out.length;
  for (let i = 0; i < tensors.length; i++) {
    out.padTo(alignment, dataStart);
    writeTensorData(out, tensors[i]!);
  }
  out.padTo(alignment, dataStart);
  return out.finish();
}

function tensorBytes(tensor: GgufTensor): number {
  return tensor.data.length * (tensor.type === 'f32' ? 4 : 2);
}

function writeTensorData(out: ByteSink, tensor: GgufTensor): void {
  if (tensor.type === 'f32') {
    for (const v of tensor.data) out.f32(v);
  } else {
    for (const v of tensor.data) out.u16(toFloat16Bits(v));
  }
}

function writeEntry(out: ByteSink, { key, value }: GgufMetadataEntry): void {
  out.string(key);
  switch (value.type) {
    case 'uint32':
      out.u32(GgufValueType.UINT32);
      out.u32(value.value);
      return;
    case 'int32':
      out.u32(GgufValueType.INT32);
      out.i32(value.value);
      return;
    case 'float32':
      out.u32(GgufValueType.FLOAT32);
      out.f32(value.value);
      return;
    case 'bool':
      out.u32(GgufValueType.BOOL);
      out.u8(value.value ? 1 : 0);
      return;
    case 'string':
      out.u32(GgufValueType.STRING);
      out.string(value.value);
      return;
    case 'string[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.STRING);
      out.u64(value.value.length);
      for (const s of value.value) out.string(s);
      return;
    case 'float32[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.FLOAT32);
      out.u64(value.value.length);
      for (const v of value.value) out.f32(v);
      return;
    case 'int32[]':
      out.u32(GgufValueType.ARRAY);
      out.u32(GgufValueType.INT32);
      out.u64(value.value.length);
      for (const v of value.value) out.i32(v);
      return;
  }
}

function checkUnique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Duplicate ${what} "${name}"`);
    seen.add(name);
  }
}

/** A growable little-endian byte buffer. */
class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private used = 0;
  private readonly encoder = new TextEncoder();

  get length(): number {
    return this.used;
  }

  u8(v: number): void {
    this.reserve(1).setUint8(this.used, v);
    this.used += 1;
  }
  u16(v: number): void {
    this.reserve(2).setUint16(this.used, v, true);
    this.used += 2;
  }
  u32(v: number): void {
    this.reserve(4).setUint32(this.used, v, true);
    this.used += 4;
  }
  i32(v: number): void {
    this.reserve(4).setInt32(this.used, v, true);
    this.used += 4;
  }
  u64(v: number): void {
    this.reserve(8).setBigUint64(this.used, BigInt(v), true);
    this.used += 8;
  }
  f32(v: number): void {
    this.reserve(4).setFloat32(this.used, v, true);
    this.used += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.used);
    this.used += b.length;
  }
  string(s: string): void {
    const encoded = this.encoder.encode(s);
    this.u64(encoded.length);
    this.bytes(encoded);
  }
  /** Appends zero bytes until the length, counted from `origin`, is a multiple of `alignment`. */
  padTo(alignment: number, origin = 0): void {
    const target = origin + alignUp(this.used - origin, alignment);
    this.reserve(target - this.used);
    this.buffer.fill(0, this.used, target);
    this.used = target;
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.used);
  }

  private reserve(n: number): DataView {
    if (this.used + n > this.buffer.length) {
      let size = this.buffer.length * 2;
      while (size < this.used + n) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.buffer.subarray(0, this.used));
      this.buffer = bigger;
      this.view = new DataView(bigger.buffer);
    }
    return this.view;
  }
}
