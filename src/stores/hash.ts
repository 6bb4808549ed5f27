/**
 * A stable text form of a value for hashing: object keys sorted, a `Map`'s or `Set`'s entries
 * sorted, functions by their source, cycles cut. Not a serializer: it only has to change when
 * the value does.
 */
export function stableText(value: unknown): string {
  // Called for every map item of a durable run: no closure, and no cycle set until an object.
  return typeof value === 'object' && value !== null
    ? objectText(value, new WeakSet())
    : primitiveText(value);
}

function primitiveText(node: unknown): string {
  switch (typeof node) {
    case 'string':
      return JSON.stringify(node);
    case 'function':
      return `fn:${JSON.stringify(Function.prototype.toString.call(node))}`;
    case 'symbol':
      return node.toString();
    default:
      return String(node);
  }
}

function nodeText(node: unknown, seen: WeakSet<object>): string {
  return typeof node === 'object' && node !== null ? objectText(node, seen) : primitiveText(node);
}

function objectText(object: object, seen: WeakSet<object>): string {
  if (seen.has(object)) return '[cycle]';
  seen.add(object);
  let text: string;
  if (Array.isArray(object)) {
    text = '[';
    for (let index = 0; index < object.length; index++) {
      text += `${index === 0 ? '' : ','}${nodeText(object[index], seen)}`;
    }
    text += ']';
  } else if (object instanceof Date) text = `date:${object.toISOString()}`;
  else if (object instanceof Map) {
    // By entry, in key order: two maps with the same entries are the same value.
    const entries = [...object].map(
      ([key, value]) => `${nodeText(key, seen)}=>${nodeText(value, seen)}`,
    );
    text = `map:{${entries.sort().join(',')}}`;
  } else if (object instanceof Set) {
    text = `set:{${[...object]
      .map((value) => nodeText(value, seen))
      .sort()
      .join(',')}}`;
  } else {
    const keys = Object.keys(object).sort();
    text = '{';
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      const element = nodeText((object as Record<string, unknown>)[key], seen);
      text += `${index === 0 ? '' : ','}${JSON.stringify(key)}:${element}`;
    }
    text += '}';
  }
  seen.delete(object);
  return text;
}

/**
 * A 128-bit hash of a string as 32 hex digits: four 32-bit lanes of a multiply-xorshift mix, each
 * with its own seed. Fast and synchronous (edge-safe, no crypto import); not for secrets.
 */
export function hashText(text: string): string {
  return hashParts(text);
}

/** Lanes carried between the parts of a hash (one set: hashing is synchronous). */
const lanes = new Int32Array(4);

/** A hash's lanes and length after some text, from which {@link hashAfter} goes on. */
export interface HashPrefix {
  readonly lanes: readonly [number, number, number, number];
  readonly length: number;
}

const empty: HashPrefix = { lanes: [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35], length: 0 };

/** Where {@link hashText} is after `text`: a text that starts many hashes is mixed in once. */
export function hashPrefix(text: string): HashPrefix {
  lanes.set(empty.lanes);
  mixInto(text);
  return { lanes: [lanes[0]!, lanes[1]!, lanes[2]!, lanes[3]!], length: text.length };
}

/** {@link hashText} of the parts joined, without joining them. */
export function hashParts(...parts: string[]): string {
  return hashAfter(empty, ...parts);
}

/**
 * {@link hashText} of the prefix's text and the parts joined: a map item's key is hashed from its
 * step's (mixed in once per chain), the item and its prompt.
 */
export function hashAfter(prefix: HashPrefix, ...parts: string[]): string {
  lanes.set(prefix.lanes);
  let length = prefix.length;
  for (let part = 0; part < parts.length; part++) {
    const text = parts[part]!;
    mixInto(text);
    length += text.length;
  }
  const a = lanes[0]!;
  const b = lanes[1]!;
  const c = lanes[2]!;
  const d = lanes[3]!;
  return (
    finishLane(a, b, length) +
    finishLane(b, c, length) +
    finishLane(c, d, length) +
    finishLane(d, a, length)
  );
}

function mixInto(text: string): void {
  let a = lanes[0]!;
  let b = lanes[1]!;
  let c = lanes[2]!;
  let d = lanes[3]!;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    c = Math.imul(c ^ code, 0x27d4eb2f);
    d = Math.imul(d ^ code, 0x165667b1);
  }
  lanes[0] = a;
  lanes[1] = b;
  lanes[2] = c;
  lanes[3] = d;
}

/** Two hex digits per byte value, so that a hash is four table reads per lane. */
const byteHex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** One lane's 8 hex digits, mixed with another lane and the length. */
function finishLane(h: number, salt: number, length: number): string {
  let x = (h ^ length ^ salt) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x = (x ^ (x >>> 16)) >>> 0;
  return (
    byteHex[x >>> 24]! + byteHex[(x >>> 16) & 255]! + byteHex[(x >>> 8) & 255]! + byteHex[x & 255]!
  );
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
