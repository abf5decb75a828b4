/**
 * Checks a model file before node-llama-cpp sees it.
 *
 * llama.cpp aborts the whole process (GGML_ASSERT) on some damaged or incomplete files, for example
 * a llama model without `llama.feed_forward_length`, so the server validates every file first:
 * that it exists and is a regular file, that it is GGUF version 2 or 3, that its metadata parses
 * within sane limits, that the keys its architecture needs are there, and that its tensors fit in
 * the file. Only the header is read, in chunks, never the (possibly many-gigabyte) tensor data.
 */
import { promises as fs } from 'node:fs';
import { GGUF_VALUE_TYPE_NAMES, GgufValueType } from '../tinymodel/ggufFormat';
import {
  GgufFormatError,
  readGgufHeader,
  type GgufHeader,
  type GgufMetadataValue,
} from '../tinymodel/ggufReader';

/** What is wrong with a model file. */
export type ModelFileErrorCode =
  | 'not-found'
  | 'not-a-file'
  | 'unreadable'
  | 'not-gguf'
  | 'unsupported-version'
  | 'truncated'
  | 'bad-metadata'
  | 'missing-metadata'
  | 'bad-tensor';

/** A model file that must not be loaded; the message names the file and the problem. */
export class ModelFileError extends Error {
  constructor(
    readonly code: ModelFileErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/**
 * A metadata value as reported: scalars and strings as they are, arrays as their item type and
 * length, strings over 1 MiB as their length.
 */
export type ModelMetadataValue = number | string | boolean | { array: string; length: number } | { stringBytes: number };

/** What the header of a valid model file says. */
export interface ModelFileInfo {
  path: string;
  sizeBytes: number;
  ggufVersion: number;
  architecture: string;
  /** `general.name`, or null. */
  name: string | null;
  contextLength: number;
  blockCount: number;
  embeddingLength: number;
  /** `<arch>.feed_forward_length` (the first layer's when it is per layer), or null when absent. */
  feedForwardLength: number | null;
  /** `<arch>.attention.head_count` (the first layer's when it is per layer), or null when absent. */
  headCount: number | null;
  /** `tokenizer.chat_template`, or null. */
  chatTemplate: string | null;
  vocabularySize: number;
  /** `general.file_type` (llama_ftype), or null. */
  fileType: number | null;
  tensorCount: number;
  /** Every metadata key, in file order. */
  metadataKeys: string[];
  /** Metadata values (64-bit integers beyond 2^53 as decimal strings; long strings as their length). */
  metadata: Record<string, ModelMetadataValue>;
}

/**
 * Architectures built from attention blocks with a feed-forward network: llama.cpp needs their
 * feed-forward length and head count, and aborts without them.
 */
export const ATTENTION_ARCHITECTURES: ReadonlySet<string> = new Set([
  'llama', 'llama4', 'mistral3', 'qwen', 'qwen2', 'qwen2moe', 'qwen2vl', 'qwen3', 'qwen3moe', 'gemma', 'gemma2',
  'gemma3', 'phi2', 'phi3', 'phimoe', 'granite', 'granitemoe', 'olmo', 'olmo2', 'olmoe', 'deepseek', 'deepseek2',
  'starcoder', 'starcoder2', 'command-r', 'cohere2', 'internlm2', 'exaone', 'stablelm', 'falcon', 'gpt2',
  'gptneox', 'bloom', 'mpt', 'baichuan', 'minicpm', 'minicpm3', 'chatglm', 'glm4', 'smollm3', 'ernie4_5',
  'gpt-oss', 'nemotron', 'orion', 'xverse', 'arcee', 'dots1', 'hunyuan-moe', 'hunyuan-dense', 'seed_oss',
]);

/** The rope scaling types llama.cpp knows; any other value aborts it. */
const ROPE_SCALING_TYPES = new Set(['none', 'linear', 'yarn', 'longrope']);
/** llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS. */
const MAX_LAYERS = 512;
const MAX_EXPERTS = 1024;
const TOKENS_KEY = 'tokenizer.ggml.tokens';

/** Validates a model file and returns what its header says; throws ModelFileError otherwise. */
export async function inspectModelFile(path: string): Promise<ModelFileInfo> {
  const sizeBytes = await regularFileSize(path);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  let header: GgufHeader;
  try {
    header = await readGgufHeader(
      async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
      sizeBytes,
      { keepStringArrays: new Set([TOKENS_KEY]) },
    );
  } catch (error) {
    if (error instanceof GgufFormatError) throw new ModelFileError(error.code, path, `"${path}" ${error.detail}`);
    throw fileError(path, error);
  } finally {
    await handle.close();
  }
  return describe(path, sizeBytes, header);
}

async function regularFileSize(path: string): Promise<number> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    throw fileError(path, error);
  }
  if (stat.isDirectory()) throw new ModelFileError('not-a-file', path, `"${path}" is a directory, not a model file`);
  if (!stat.isFile()) throw new ModelFileError('not-a-file', path, `"${path}" is not a regular file`);
  return stat.size;
}

function fileError(path: string, error: unknown): ModelFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ModelFileError('not-found', path, `"${path}" does not exist`);
  }
  if (code === 'EISDIR') return new ModelFileError('not-a-file', path, `"${path}" is a directory, not a model file`);
  const reason = error instanceof Error ? error.message : String(error);
  return new ModelFileError('unreadable', path, `"${path}" cannot be read (${reason})`);
}

function describe(path: string, sizeBytes: number, header: GgufHeader): ModelFileInfo {
  const m = new MetadataView(path, header);
  const architecture = m.string('general.architecture');
  if (architecture === null) throw m.missing('general.architecture');
  const needs = (key: string): string => `${architecture}.${key}`;

  const contextLength = m.requiredCount(needs('context_length'), architecture);
  const embeddingLength = m.requiredCount(needs('embedding_length'), architecture);
  const blockCount = m.requiredCount(needs('block_count'), architecture);
  if (blockCount < 1 || blockCount > MAX_LAYERS) {
    throw m.bad(`has ${needs('block_count')} = ${blockCount}; llama.cpp accepts 1 to ${MAX_LAYERS}`);
  }
  const strict = ATTENTION_ARCHITECTURES.has(architecture);
  const feedForwardLength = m.perLayerCount(needs('feed_forward_length'), architecture, blockCount, strict);
  const headCount = m.perLayerCount(needs('attention.head_count'), architecture, blockCount, strict);
  if (strict && headCount === 0) throw m.bad(`has ${needs('attention.head_count')} = 0`);
  m.checkExperts(architecture);
  const ropeScaling = m.string(needs('rope.scaling.type'));
  if (ropeScaling !== null && !ROPE_SCALING_TYPES.has(ropeScaling)) {
    throw m.bad(`has the unknown rope scaling type "${ropeScaling}" in ${needs('rope.scaling.type')}`);
  }
  const vocabularySize = m.checkVocabulary();

  const chatTemplate = m.string('tokenizer.chat_template');
  const fileType = m.count('general.file_type');
  return {
    path,
    sizeBytes,
    ggufVersion: header.version,
    architecture,
    name: m.string('general.name'),
    contextLength,
    blockCount,
    embeddingLength,
    feedForwardLength,
    headCount,
    chatTemplate,
    vocabularySize,
    fileType,
    tensorCount: header.tensors.length,
    metadataKeys: [...header.metadata.keys()],
    metadata: reportable(header),
  };
}

/** Typed access to the metadata, with errors that name the file. */
class MetadataView {
  constructor(
    private readonly path: string,
    private readonly header: GgufHeader,
  ) {}

  missing(key: string, architecture?: string): ModelFileError {
    const why = architecture ? ` that architecture "${architecture}" requires` : '';
    return new ModelFileError('missing-metadata', this.path, `"${this.path}" is missing the metadata key ${key}${why}`);
  }

  bad(predicate: string): ModelFileError {
    return new ModelFileError('bad-metadata', this.path, `"${this.path}" ${predicate}`);
  }

  string(key: string): string | null {
    const v = this.header.metadata.get(key);
    if (v === undefined) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v.kind === 'long-string') {
      throw this.bad(`has a ${v.bytes}-byte string in ${key}, too long to be real`);
    }
    throw this.bad(`stores ${key} as ${this.typeName(key)}, expected a string`);
  }

  /** A non-negative integer, or null when absent. */
  count(key: string): number | null {
    const v = this.header.metadata.get(key);
    if (v === undefined) return null;
    if (typeof v === 'number' && Number.isInteger(v) && this.isIntegerType(key)) {
      if (v < 0) throw this.bad(`has a negative ${key} (${v})`);
      return v;
    }
    if (typeof v === 'bigint') throw this.bad(`has an absurd ${key} (${v})`);
    throw this.bad(`stores ${key} as ${this.typeName(key)}, expected an integer`);
  }

  requiredCount(key: string, architecture: string): number {
    const v = this.count(key);
    if (v === null) throw this.missing(key, architecture);
    return v;
  }

  /** An integer or a per-layer array of integers (with one item per layer); the first layer's value. */
  perLayerCount(key: string, architecture: string, blockCount: number, required: boolean): number | null {
    const v = this.header.metadata.get(key);
    if (v === undefined) {
      if (required) throw this.missing(key, architecture);
      return null;
    }
    if (typeof v === 'object' && v.kind === 'array') {
      if (!isIntegerTypeId(v.itemType)) throw this.bad(`stores ${key} as an array of ${typeName(v.itemType)}, expected integers`);
      if (v.length !== blockCount) {
        throw this.bad(`has ${v.length} values in ${key} but ${blockCount} layers`);
      }
      return null;
    }
    return this.count(key);
  }

  checkExperts(architecture: string): void {
    const experts = this.count(`${architecture}.expert_count`) ?? 0;
    const used = this.count(`${architecture}.expert_used_count`) ?? 0;
    if (experts > MAX_EXPERTS) throw this.bad(`has ${experts} experts; llama.cpp accepts at most ${MAX_EXPERTS}`);
    if (used > experts) throw this.bad(`uses ${used} experts per token but has only ${experts}`);
    if (experts > 0 && used === 0) throw this.bad(`has ${experts} experts but uses none per token`);
  }

  /** The vocabulary must be there, and without duplicates (llama.cpp aborts on those). */
  checkVocabulary(): number {
    const v = this.header.metadata.get(TOKENS_KEY);
    if (v === undefined) throw this.missing(TOKENS_KEY);
    if (typeof v !== 'object' || v.kind !== 'array' || v.itemType !== GgufValueType.STRING || !v.strings) {
      throw this.bad(`stores ${TOKENS_KEY} as ${this.typeName(TOKENS_KEY)}, expected an array of strings`);
    }
    if (v.length === 0) throw this.bad(`has an empty vocabulary (${TOKENS_KEY})`);
    for (const key of ['tokenizer.ggml.scores', 'tokenizer.ggml.token_type']) {
      const per = this.header.metadata.get(key);
      if (typeof per === 'object' && per.kind === 'array' && per.length < v.length) {
        throw this.bad(`has ${per.length} entries in ${key} for ${v.length} tokens`);
      }
    }
    if (new Set(v.strings).size !== v.strings.length) {
      const seen = new Map<string, number>();
      v.strings.forEach((token, id) => {
        const first = seen.get(token);
        if (first !== undefined) {
          throw this.bad(`has the token ${JSON.stringify(token)} twice in its vocabulary (ids ${first} and ${id})`);
        }
        seen.set(token, id);
      });
    }
    return v.length;
  }

  private isIntegerType(key: string): boolean {
    return isIntegerTypeId(this.header.valueTypes.get(key) ?? -1);
  }

  private typeName(key: string): string {
    const v = this.header.metadata.get(key);
    if (typeof v === 'object' && v.kind === 'array') return `an array of ${typeName(v.itemType)}`;
    return typeName(this.header.valueTypes.get(key) ?? -1);
  }
}

function isIntegerTypeId(type: number): boolean {
  const integers: number[] = [
    GgufValueType.UINT8,
    GgufValueType.INT8,
    GgufValueType.UINT16,
    GgufValueType.INT16,
    GgufValueType.UINT32,
    GgufValueType.INT32,
    GgufValueType.UINT64,
    GgufValueType.INT64,
  ];
  return integers.includes(type);
}

function typeName(type: number): string {
  return GGUF_VALUE_TYPE_NAMES[type] ?? `type ${type}`;
}

function reportable(header: GgufHeader): Record<string, ModelMetadataValue> {
  const out: Record<string, ModelMetadataValue> = {};
  for (const [key, value] of header.metadata) out[key] = reportValue(value);
  return out;
}

function reportValue(value: GgufMetadataValue): ModelMetadataValue {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  if (value.kind === 'array') return { array: typeName(value.itemType), length: value.length };
  return { stringBytes: value.bytes };
}
