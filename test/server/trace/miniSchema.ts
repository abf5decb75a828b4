/**
 * A minimal JSON Schema (draft 2020-12) validator for the keywords docs/trace.schema.json uses:
 * $ref (to #/$defs/…), type, enum, const, properties, required, items, anyOf, minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, minLength, pattern; annotations are ignored. Any other
 * keyword is an error, so a schema cannot say more than this validator checks.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description']);
const KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'items', 'anyOf',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'pattern',
]);

/** The first problem of `value` against `root`, as "path: problem", or null when it is valid. */
export function validateWithSchema(root: Schema, value: unknown): string | null {
  const regexps = new Map<string, RegExp>();
  const check = (schema: Schema, v: unknown, path: string): string | null => {
    for (const key of Object.keys(schema)) {
      if (!ANNOTATIONS.has(key) && !KEYWORDS.has(key)) throw new Error(`unsupported schema keyword ${key} at ${path}`);
    }
    if (typeof schema.$ref === 'string') {
      const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name ? (root.$defs as Record<string, Schema>)[name] : undefined;
      if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
      const problem = check(target, v, path);
      if (problem) return problem;
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => hasType(v, t))) return `${path}: not of type ${types.join('|')}`;
    }
    if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => e === v)) return `${path}: not in enum`;
    if ('const' in schema && schema.const !== v) return `${path}: not the const`;
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) return `${path}: below minimum`;
      if (typeof schema.maximum === 'number' && v > schema.maximum) return `${path}: above maximum`;
      if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) return `${path}: not above exclusiveMinimum`;
      if (typeof schema.exclusiveMaximum === 'number' && v >= schema.exclusiveMaximum) return `${path}: not below exclusiveMaximum`;
    }
    if (typeof v === 'string') {
      if (typeof schema.minLength === 'number' && [...v].length < schema.minLength) return `${path}: shorter than minLength`;
      if (typeof schema.pattern === 'string') {
        let re = regexps.get(schema.pattern);
        if (!re) regexps.set(schema.pattern, (re = new RegExp(schema.pattern, 'u')));
        if (!re.test(v)) return `${path}: does not match pattern`;
      }
    }
    if (isObject(v)) {
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) return `${path}: missing ${key}`;
      }
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, sub] of Object.entries(properties)) {
        if (Object.prototype.hasOwnProperty.call(v, key)) {
          const problem = check(sub, v[key], `${path}.${key}`);
          if (problem) return problem;
        }
      }
    }
    if (Array.isArray(v) && schema.items !== undefined) {
      for (let i = 0; i < v.length; i++) {
        const problem = check(schema.items as Schema, v[i], `${path}[${i}]`);
        if (problem) return problem;
      }
    }
    if (schema.anyOf !== undefined && !(schema.anyOf as Schema[]).some((s) => check(s, v, path) === null)) return `${path}: matches no anyOf branch`;
    return null;
  };
  return check(root, value, '$');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && !Number.isNaN(v);
    case 'integer':
      return Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
    default:
      throw new Error(`unknown type ${type}`);
  }
}
