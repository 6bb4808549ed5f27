/**
 * A stable text form of a value for hashing: object keys sorted, functions by their source,
 * cycles cut. Not a serializer: it only has to change when the value does.
 */
export function stableText(value: unknown): string {
  const seen = new WeakSet<object>();
  const walk = (node: unknown): string => {
    if (node === null || node === undefined) return String(node);
    switch (typeof node) {
      case 'string':
        return JSON.stringify(node);
      case 'number':
      case 'boolean':
      case 'bigint':
        return String(node);
      case 'function':
        return `fn:${JSON.stringify(Function.prototype.toString.call(node))}`;
      case 'symbol':
        return node.toString();
      default:
        break;
    }
    const object = node as object;
    if (seen.has(object)) return '[cycle]';
    seen.add(object);
    let text: string;
    if (Array.isArray(object)) text = `[${object.map(walk).join(',')}]`;
    else if (object instanceof Date) text = `date:${object.toISOString()}`;
    else {
      const keys = Object.keys(object).sort();
      text = `{${keys.map((key) => `${JSON.stringify(key)}:${walk((object as Record<string, unknown>)[key])}`).join(',')}}`;
    }
    seen.delete(object);
    return text;
  };
  return walk(value);
}

/**
 * A 128-bit hash of a string as 32 hex digits: four 32-bit lanes of a multiply-xorshift mix, each
 * with its own seed. Fast and synchronous (edge-safe, no crypto import); not for secrets.
 */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    c = Math.imul(c ^ code, 0x27d4eb2f);
    d = Math.imul(d ^ code, 0x165667b1);
  }
  const finish = (h: number, salt: number) => {
    let x = (h ^ text.length ^ salt) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return ((x ^ (x >>> 16)) >>> 0).toString(16).padStart(8, '0');
  };
  return finish(a, b) + finish(b, c) + finish(c, d) + finish(d, a);
}

/** The hash of a value's {@link stableText}. */
export function hashValue(value: unknown): string {
  return hashText(stableText(value));
}

/**
 * Whether a value survives a JSON round trip unchanged: null, booleans, finite numbers, strings,
 * arrays and plain objects of those. Only such outputs are journaled.
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (const element of value) if (!isPlainJson(element, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        const element = (value as Record<string, unknown>)[key];
        if (element !== undefined && !isPlainJson(element, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
