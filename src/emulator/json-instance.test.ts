import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateJsonInstance } from './json-instance';
import { createRandom } from './random';

type TreeNode = { name: string; children: TreeNode[] };
const Tree: z.ZodType<TreeNode> = z.object({
  name: z.string(),
  children: z.lazy(() => z.array(Tree)),
});
const Category = z.object({
  id: z.uuid(),
  get subcategories() {
    return z.array(Category).max(2);
  },
});
const Comment = z.object({
  text: z.string(),
  get reply(): z.ZodNullable<typeof Comment> {
    return Comment.nullable();
  },
});

const schemas: Record<string, z.ZodType> = {
  nested: z.object({
    user: z.object({ name: z.string().min(3).max(12), tags: z.array(z.string()).min(1).max(3) }),
    scores: z.array(z.number().min(0).max(10)),
  }),
  enumsAndLiterals: z.object({
    mood: z.enum(['happy', 'sad']),
    kind: z.literal('report'),
    version: z.literal([1, 2]),
  }),
  optionalAndNullable: z.object({
    a: z.string().optional(),
    b: z.number().nullable(),
    c: z.boolean().nullish(),
    d: z.null(),
  }),
  unions: z.object({
    value: z.union([z.string(), z.number()]),
    maybe: z.union([z.null(), z.object({ x: z.int() })]),
  }),
  discriminated: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), body: z.string() }),
      z.object({ type: z.literal('image'), url: z.url(), width: z.int().positive() }),
    ]),
  ),
  records: z.object({
    counts: z.record(z.string(), z.int().nonnegative()),
    flags: z.record(z.enum(['on', 'off']), z.boolean()),
    partial: z.partialRecord(z.enum(['x', 'y']), z.string()),
  }),
  formats: z.object({
    email: z.email(),
    id: z.uuid(),
    link: z.url(),
    at: z.iso.datetime(),
    day: z.iso.date(),
    time: z.iso.time(),
    ip: z.ipv4(),
    ip6: z.ipv6(),
  }),
  numbers: z.object({
    count: z.int().min(1).max(5),
    ratio: z.number().gt(0).lt(1),
    step: z.number().multipleOf(0.25).min(-3).max(3),
    cents: z.number().multipleOf(0.01).min(0.05).max(0.07),
    negative: z.int().multipleOf(5).max(-3),
    whole: z.int(),
    small: z.int32(),
    float: z.float32(),
  }),
  tuples: z.object({
    pair: z.tuple([z.string(), z.number()]),
    rest: z.tuple([z.string()], z.boolean()),
  }),
  patterns: z.object({
    code: z.string().regex(/^[A-Z]{3}-\d{4}$/),
    cuid: z.cuid(),
    nanoid: z.nanoid(),
    ulid: z.ulid(),
    phone: z.e164(),
    affix: z.string().startsWith('ab').endsWith('yz'),
  }),
  intersection: z.intersection(
    z.object({ a: z.string() }),
    z.union([z.object({ b: z.number() }), z.object({ c: z.boolean() })]),
  ),
  tree: Tree,
  category: Category,
  comment: Comment,
  forest: z.object({ trees: z.array(Tree).min(1), best: Tree.optional() }),
};

const targets = ['draft-2020-12', 'draft-7'] as const;

describe('generateJsonInstance over zod schemas', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    for (const target of targets) {
      it(`validates against ${name} (${target}) for 50 seeds`, () => {
        const jsonSchema = z.toJSONSchema(schema, { target });
        for (let seed = 0; seed < 50; seed++) {
          const instance = generateJsonInstance(jsonSchema, createRandom(seed));
          const result = schema.safeParse(instance);
          expect(result.error?.issues ?? [], JSON.stringify(instance)).toEqual([]);
        }
      });
    }
  }

  it('validates against random zod schemas (property)', () => {
    const key = fc.constantFrom('id', 'name', 'count', 'items', 'meta');
    const zodSchemas = fc.letrec<{ schema: z.ZodType }>((tie) => ({
      schema: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom<z.ZodType>(z.string(), z.number(), z.int(), z.boolean(), z.email()),
        fc.tuple(fc.nat(8), fc.nat(8)).map(([min, extra]) =>
          z
            .string()
            .min(min)
            .max(min + extra),
        ),
        fc
          .tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 12 }))
          .map(([low, step]) =>
            z
              .int()
              .multipleOf(step)
              .min(low)
              .max(low + step),
          ),
        fc
          .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 })
          .map((values) => z.enum(values as [string, ...string[]])),
        tie('schema').map((inner) => inner.nullable()),
        fc.tuple(tie('schema'), fc.nat(3), fc.nat(3)).map(([items, min, extra]) =>
          z
            .array(items)
            .min(min)
            .max(min + extra),
        ),
        fc
          .dictionary(key, fc.tuple(tie('schema'), fc.boolean()), { maxKeys: 4 })
          .map((shape) =>
            z.object(
              Object.fromEntries(
                Object.entries(shape).map(([name, [field, optional]]) => [
                  name,
                  optional ? field.optional() : field,
                ]),
              ),
            ),
          ),
        fc.tuple(tie('schema'), tie('schema')).map(([left, right]) => z.union([left, right])),
      ),
    })).schema;
    fc.assert(
      fc.property(zodSchemas, fc.nat(), fc.constantFrom(...targets), (zodSchema, seed, target) => {
        const instance = generateJsonInstance(
          z.toJSONSchema(zodSchema, { target }),
          createRandom(seed),
        );
        return zodSchema.safeParse(instance).success;
      }),
      { numRuns: 300 },
    );
  });
});

describe('generateJsonInstance', () => {
  const rich = z.toJSONSchema(schemas.formats as z.ZodType);

  it('is deterministic for the same seed and varies across seeds', () => {
    const first = generateJsonInstance(rich, createRandom(21));
    expect(generateJsonInstance(rich, createRandom(21))).toEqual(first);
    expect(generateJsonInstance(rich, createRandom(22))).not.toEqual(first);
  });

  it('emits optional properties but no undeclared ones', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      required: ['a'],
      additionalProperties: true,
    };
    const instance = generateJsonInstance(schema, createRandom(1));
    expect(Object.keys(instance as object).sort()).toEqual(['a', 'b']);
  });

  it('chooses 3 to 6 items when unbounded and stays within bounds otherwise', () => {
    const lengths = (schema: object) =>
      Array.from(
        { length: 60 },
        (_, seed) => (generateJsonInstance(schema, createRandom(seed)) as unknown[]).length,
      );
    const unbounded = lengths({ type: 'array', items: { type: 'number' } });
    expect(Math.min(...unbounded)).toBe(3);
    expect(Math.max(...unbounded)).toBe(6);
    const bounded = lengths({ type: 'array', minItems: 8, maxItems: 9 });
    expect(new Set(bounded)).toEqual(new Set([8, 9]));
    expect(new Set(lengths({ type: 'array', maxItems: 1 }))).toEqual(new Set([1]));
  });

  it('fills tuples in order and cuts them at maxItems', () => {
    const prefixItems = [{ const: 1 }, { const: 2 }, { const: 3 }];
    const tuple = { type: 'array', prefixItems, items: false };
    expect(generateJsonInstance(tuple, createRandom(1))).toEqual([1, 2, 3]);
    const capped = { type: 'array', prefixItems, items: { type: 'number' }, maxItems: 2 };
    expect(generateJsonInstance(capped, createRandom(1))).toEqual([1, 2]);
  });

  it('honours draft-4 boolean exclusive bounds', () => {
    const schema = {
      type: 'integer',
      minimum: 1,
      exclusiveMinimum: true,
      maximum: 3,
      exclusiveMaximum: true,
    };
    for (let seed = 0; seed < 20; seed++) {
      expect(generateJsonInstance(schema, createRandom(seed))).toBe(2);
    }
  });

  it('resolves #/definitions and merges allOf object branches', () => {
    const schema = {
      definitions: {
        named: { type: 'object', properties: { name: { const: 'n' } }, required: ['name'] },
      },
      allOf: [
        { $ref: '#/definitions/named' },
        { properties: { size: { type: 'integer', minimum: 10, maximum: 10 } } },
      ],
    };
    expect(generateJsonInstance(schema, createRandom(1))).toEqual({ name: 'n', size: 10 });
  });

  it('keeps recursive data nested but small', () => {
    const measure = (node: TreeNode): [nodes: number, depth: number] =>
      node.children
        .map(measure)
        .reduce(([n, d], [cn, cd]) => [n + cn, Math.max(d, cd + 1)], [1, 1]);
    const jsonSchema = z.toJSONSchema(Tree);
    for (let seed = 0; seed < 30; seed++) {
      const [nodes, depth] = measure(
        generateJsonInstance(jsonSchema, createRandom(seed)) as TreeNode,
      );
      expect(depth).toBeGreaterThanOrEqual(3);
      expect(depth).toBeLessThanOrEqual(5);
      expect(nodes).toBeLessThan(60);
    }
  });

  it('keeps multiples free of floating-point noise', () => {
    const schema = { type: 'number', multipleOf: 0.01, minimum: 0.05, maximum: 0.4 };
    for (let seed = 0; seed < 50; seed++) {
      const value = generateJsonInstance(schema, createRandom(seed));
      expect(String(value)).toMatch(/^0\.\d{1,2}$/);
    }
  });

  it('ends a recursive chain through its null branch', () => {
    const schema = {
      $defs: {
        link: {
          type: 'object',
          properties: { next: { anyOf: [{ $ref: '#/$defs/link' }, { type: 'null' }] } },
          required: ['next'],
        },
      },
      $ref: '#/$defs/link',
    };
    let node = generateJsonInstance(schema, createRandom(1)) as { next: unknown } | null;
    let length = 0;
    while (node !== null) {
      node = node.next as { next: unknown } | null;
      length++;
    }
    expect(length).toBeGreaterThan(1);
    expect(length).toBeLessThan(6);
  });

  it('picks from type arrays, enum and const', () => {
    const random = createRandom(2);
    expect(
      generateJsonInstance({ type: ['null', 'integer'], minimum: 7, maximum: 7 }, random),
    ).toBe(7);
    expect(generateJsonInstance({ type: 'null' }, random)).toBeNull();
    expect(['x', 'y']).toContain(generateJsonInstance({ enum: ['x', 'y'] }, random));
    expect(generateJsonInstance({ const: { deep: [1] } }, random)).toEqual({ deep: [1] });
  });

  it('gives a short string for an empty or true schema', () => {
    for (const schema of [{}, true]) {
      const value = generateJsonInstance(schema, createRandom(3));
      expect(value).toMatch(/^[a-z]+( [a-z-]+)+$/);
    }
  });

  it('satisfies string length bounds', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(20), fc.nat(), (minLength, extra, seed) => {
        const schema = { type: 'string', minLength, maxLength: minLength + extra };
        const value = generateJsonInstance(schema, createRandom(seed)) as string;
        const trimmed = value === value.trim();
        return trimmed && value.length >= minLength && value.length <= minLength + extra;
      }),
    );
  });

  it('still returns a string when a pattern cannot be met', () => {
    const value = generateJsonInstance({ type: 'string', pattern: '^(?=x)y$' }, createRandom(1));
    expect(typeof value).toBe('string');
  });
});
