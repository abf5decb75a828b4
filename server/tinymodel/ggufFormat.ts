/**
 * Constants of the GGUF file format (versions 2 and 3), shared by the writer of the embedded tiny
 * model and by the model-file checker.
 *
 * Layout: magic "GGUF", u32 version, u64 tensor count, u64 metadata count, the metadata
 * key/value pairs, the tensor infos, padding to the alignment, then the tensor data. All numbers
 * are little-endian; strings are a u64 byte length followed by UTF-8 bytes.
 */

/** The four bytes every GGUF file starts with. */
export const GGUF_MAGIC = 'GGUF';

/** The format version written by the tiny-model writer. */
export const GGUF_VERSION = 3;

/** Tensor data alignment when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** The longest tensor name llama.cpp accepts (GGML_MAX_NAME is 64 bytes including the terminator). */
export const GGUF_MAX_TENSOR_NAME_BYTES = 63;

/** The most dimensions a tensor may have. */
export const GGUF_MAX_DIMS = 4;

/** Metadata value types, as stored in the file. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

export type GgufValueTypeId = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Byte size of each fixed-size metadata value type (strings and arrays are variable). */
export const GGUF_SCALAR_SIZES: Readonly<Record<number, number>> = {
  [GgufValueType.UINT8]: 1,
  [GgufValueType.INT8]: 1,
  [GgufValueType.UINT16]: 2,
  [GgufValueType.INT16]: 2,
  [GgufValueType.UINT32]: 4,
  [GgufValueType.INT32]: 4,
  [GgufValueType.FLOAT32]: 4,
  [GgufValueType.BOOL]: 1,
  [GgufValueType.UINT64]: 8,
  [GgufValueType.INT64]: 8,
  [GgufValueType.FLOAT64]: 8,
};

/** Readable names of the metadata value types, for messages. */
export const GGUF_VALUE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'uint8',
  1: 'int8',
  2: 'uint16',
  3: 'int16',
  4: 'uint32',
  5: 'int32',
  6: 'float32',
  7: 'bool',
  8: 'string',
  9: 'array',
  10: 'uint64',
  11: 'int64',
  12: 'float64',
};

/** ggml tensor types the tiny model uses. */
export const GgmlType = { F32: 0, F16: 1 } as const;

/** How a ggml tensor type stores its elements: `typeSize` bytes per block of `blockSize` elements. */
export interface GgmlTypeTraits {
  name: string;
  blockSize: number;
  typeSize: number;
}

/**
 * Every ggml tensor type a GGUF file may hold (ggml/include/ggml.h and the block structs of
 * ggml-common.h). Ids 4, 5 and 31–33, 36–38 were removed from the format and are not listed.
 */
export const GGML_TYPES: Readonly<Record<number, GgmlTypeTraits>> = {
  0: { name: 'F32', blockSize: 1, typeSize: 4 },
  1: { name: 'F16', blockSize: 1, typeSize: 2 },
  2: { name: 'Q4_0', blockSize: 32, typeSize: 18 },
  3: { name: 'Q4_1', blockSize: 32, typeSize: 20 },
  6: { name: 'Q5_0', blockSize: 32, typeSize: 22 },
  7: { name: 'Q5_1', blockSize: 32, typeSize: 24 },
  8: { name: 'Q8_0', blockSize: 32, typeSize: 34 },
  9: { name: 'Q8_1', blockSize: 32, typeSize: 36 },
  10: { name: 'Q2_K', blockSize: 256, typeSize: 84 },
  11: { name: 'Q3_K', blockSize: 256, typeSize: 110 },
  12: { name: 'Q4_K', blockSize: 256, typeSize: 144 },
  13: { name: 'Q5_K', blockSize: 256, typeSize: 176 },
  14: { name: 'Q6_K', blockSize: 256, typeSize: 210 },
  15: { name: 'Q8_K', blockSize: 256, typeSize: 292 },
  16: { name: 'IQ2_XXS', blockSize: 256, typeSize: 66 },
  17: { name: 'IQ2_XS', blockSize: 256, typeSize: 74 },
  18: { name: 'IQ3_XXS', blockSize: 256, typeSize: 98 },
  19: { name: 'IQ1_S', blockSize: 256, typeSize: 50 },
  20: { name: 'IQ4_NL', blockSize: 32, typeSize: 18 },
  21: { name: 'IQ3_S', blockSize: 256, typeSize: 110 },
  22: { name: 'IQ2_S', blockSize: 256, typeSize: 82 },
  23: { name: 'IQ4_XS', blockSize: 256, typeSize: 136 },
  24: { name: 'I8', blockSize: 1, typeSize: 1 },
  25: { name: 'I16', blockSize: 1, typeSize: 2 },
  26: { name: 'I32', blockSize: 1, typeSize: 4 },
  27: { name: 'I64', blockSize: 1, typeSize: 8 },
  28: { name: 'F64', blockSize: 1, typeSize: 8 },
  29: { name: 'IQ1_M', blockSize: 256, typeSize: 56 },
  30: { name: 'BF16', blockSize: 1, typeSize: 2 },
  34: { name: 'TQ1_0', blockSize: 256, typeSize: 54 },
  35: { name: 'TQ2_0', blockSize: 256, typeSize: 66 },
  39: { name: 'MXFP4', blockSize: 32, typeSize: 17 },
  40: { name: 'NVFP4', blockSize: 64, typeSize: 36 },
  41: { name: 'Q1_0', blockSize: 128, typeSize: 18 },
  42: { name: 'Q2_0', blockSize: 64, typeSize: 18 },
};

/** Rounds `value` up to a multiple of `alignment`. */
export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Rounds a bigint up to a multiple of `alignment`. */
export function alignUpBig(value: bigint, alignment: bigint): bigint {
  const rest = value % alignment;
  return rest === 0n ? value : value + alignment - rest;
}
