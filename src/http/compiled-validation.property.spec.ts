import 'reflect-metadata';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { DataRequestDto } from '../benchmarks/dto/data.request.dto';
import { PeerGroupRequestDto } from '../common/dto/peer-group.request.dto';
import { CompareRequestDto } from '../comparison/dto/compare.request.dto';
import { ScorecardRequestDto } from '../comparison/dto/scorecard.request.dto';
import { TrajectoryRequestDto } from '../comparison/dto/trajectory.request.dto';
import { IndustryParamDto } from '../industries/dto/industry.param.dto';
import { AppValidationPipe, VALIDATION_OPTIONS } from './app-validation.pipe';
import { compileAcceptCheck } from './compiled-validation';

/**
 * The compiled accept-check against class-validator itself, over bodies generated from each request DTO's own
 * metadata: its fields, their documented examples and enums (Swagger), and mutations of them (wrong types, null,
 * near-miss dates, changed maps and arrays, unknown fields). The fast path must accept exactly what the stock pipe
 * accepts and hand over an equal DTO; what it refuses, the stock pipe decides (so never accepting too much is the
 * safety property, never refusing too much the speed one).
 */
type Dto = new () => object;
const prototypeOf = (dto: Dto): object => dto.prototype as object;
const DTOS: ReadonlyArray<[Dto, ArgumentMetadata['type']]> = [
  [PeerGroupRequestDto, 'body'],
  [DataRequestDto, 'body'],
  [CompareRequestDto, 'body'],
  [ScorecardRequestDto, 'body'],
  [TrajectoryRequestDto, 'body'],
  [IndustryParamDto, 'param'],
];

interface FieldDoc {
  name: string;
  example: unknown;
  enum?: unknown[];
}

function fieldsOf(dto: Dto): FieldDoc[] {
  const names = Reflect.getMetadata(
    'swagger/apiModelPropertiesArray',
    prototypeOf(dto),
  ) as string[];
  return names.map((key) => {
    const name = key.slice(1);
    const doc = Reflect.getMetadata(
      'swagger/apiModelProperties',
      prototypeOf(dto),
      name,
    ) as { example?: unknown; enum?: unknown[] };
    return { name, example: doc.example, enum: doc.enum };
  });
}

const OMIT = Symbol('omit');

/** Near misses of a documented example, by its shape. */
function mutations(example: unknown): fc.Arbitrary<unknown> {
  if (typeof example === 'string') {
    const dates = /^\d{4}-\d{2}-\d{2}$/.test(example)
      ? [
          '2024-02-30',
          '2024-1-01',
          '2023-02-29',
          '2024-02-29',
          '1999-12-31',
          '2000-01-01',
          '2099-01-01',
          '2024-12-31T00:00:00Z',
        ]
      : [];
    return fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        example.toUpperCase(),
        `${example} `,
        example.repeat(40),
        ...dates,
      ),
      fc.string(),
    );
  }
  if (Array.isArray(example)) {
    const items = example as unknown[];
    return fc.oneof(
      fc.subarray(items),
      fc.constant([...items, ...items]),
      fc.array(fc.oneof(fc.constantFrom(...items), fc.jsonValue()), {
        maxLength: 4,
      }),
    );
  }
  if (typeof example === 'object' && example !== null) {
    const keys = Object.keys(example);
    const values = Object.values(example) as unknown[];
    return fc.oneof(
      fc.dictionary(
        fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })),
        fc.oneof(
          fc.constantFrom(...values),
          fc.double(),
          fc.integer(),
          fc.jsonValue(),
        ),
        { maxKeys: 4 },
      ),
      fc.constant({}),
    );
  }
  return fc.jsonValue();
}

function fieldArbitrary(field: FieldDoc): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(field.example) },
    { weight: 2, arbitrary: fc.constant(OMIT) },
    ...(field.enum
      ? [{ weight: 3, arbitrary: fc.constantFrom(...field.enum) }]
      : []),
    { weight: 3, arbitrary: mutations(field.example) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(null, 0, true, [], {}, 'x', -1.5),
    },
  );
}

/** A field as documented: its example, an enum member, or left out. */
function documentedArbitrary(field: FieldDoc): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(field.example) },
    { weight: 1, arbitrary: fc.constant(OMIT) },
    ...(field.enum
      ? [{ weight: 3, arbitrary: fc.constantFrom(...field.enum) }]
      : []),
  );
}

function bodyArbitrary(dto: Dto): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(dto);
  // Half the bodies as documented, the other half with any field mutated.
  const fieldValues = fc.oneof(
    fc.tuple(...fields.map(documentedArbitrary)),
    fc.tuple(...fields.map(fieldArbitrary)),
  );
  return fc
    .tuple(
      fieldValues,
      fc.option(
        fc.tuple(
          fc.constantFrom('extra', 'Industry', 'user_value'),
          fc.jsonValue(),
        ),
        { freq: 8 },
      ),
    )
    .map(([values, extra]) => {
      const body: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        if (values[i] !== OMIT) body[f.name] = values[i];
      });
      if (extra) body[extra[0]] = extra[1];
      return body;
    });
}

const fast = new AppValidationPipe() as unknown as {
  accepted(value: unknown, metadata: ArgumentMetadata): object | undefined;
};
const stock = new ValidationPipe(VALIDATION_OPTIONS);

async function stockAnswer(
  body: unknown,
  metadata: ArgumentMetadata,
): Promise<{ ok: true; dto: unknown } | { ok: false }> {
  try {
    return { ok: true, dto: await stock.transform(body, metadata) };
  } catch {
    return { ok: false };
  }
}

describe('compiled validation (fast path) against class-validator', () => {
  it.each(DTOS)('should compile an accept-check for %p', (dto) => {
    expect(compileAcceptCheck(dto)).toBeDefined();
  });

  it.each(DTOS)(
    'should accept exactly what the stock pipe accepts for %p, handing over an equal DTO',
    async (dto, type) => {
      const metadata: ArgumentMetadata = { type, metatype: dto, data: '' };
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(bodyArbitrary(dto), async (body) => {
          const mine = fast.accepted(structuredClone(body), metadata);
          const theirs = await stockAnswer(structuredClone(body), metadata);
          if (mine === undefined) {
            refused++;
            expect(theirs.ok).toBe(false);
          } else {
            accepted++;
            expect(theirs.ok).toBe(true);
            expect(mine).toBeInstanceOf(dto);
            expect(mine).toEqual((theirs as { dto: unknown }).dto);
          }
        }),
        { numRuns: 400, seed: 20261203 },
      );
      // Both outcomes occur, so the property is not vacuous.
      expect(accepted).toBeGreaterThan(10);
      expect(refused).toBeGreaterThan(10);
    },
  );

  it('should refuse to compile what it does not model, leaving it to class-validator', () => {
    class Empty {}
    expect(compileAcceptCheck(Empty)).toBeUndefined();
  });
});
