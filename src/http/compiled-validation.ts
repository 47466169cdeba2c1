import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
} from 'class-validator';

/** What class-validator's storage holds for one decorator of a property (its public type is not exported). */
type ValidationMetadata = ReturnType<
  MetadataStorage['getTargetValidationMetadatas']
>[number];

/**
 * An accept-check: true only when class-validator would find no error in the instance; `allowed` holds the
 * properties the class declares (any other key is an error).
 */
export type AcceptCheck = ((entity: object) => boolean) & {
  readonly allowed: ReadonlySet<string>;
};

interface CompiledProperty {
  readonly name: string;
  /** `@ValidateIf` conditions (ours: `@IsOmittable`): when one is false, the property is not validated at all. */
  readonly conditions: ReadonlyArray<
    (object: object, value: unknown) => boolean
  >;
  /** The constraints in declared order, each with the validators class-validator would run for it. */
  readonly constraints: ReadonlyArray<{
    readonly metadata: ValidationMetadata;
    readonly validators: ReadonlyArray<{
      validate(value: unknown, args: ValidationArguments): unknown;
    }>;
  }>;
}

const isPromiseLike = (x: unknown): boolean =>
  typeof (x as { then?: unknown } | null)?.then === 'function';

/**
 * Compiles class-validator's metadata for a class into one accept-check, for the options the app validates with
 * (whitelist and forbid-non-whitelisted, forbid unknown values, no groups, no `always`, no skip-missing options). It
 * runs exactly the validators class-validator would run, with the same arguments, in the same order, and answers
 * only whether all pass: the messages stay class-validator's, by validating again when the check says no.
 *
 * `undefined` (no fast path for this class) when the class has anything the compiler does not model: no metadata (the
 * unknown-value error), nested or promise validation, groups or `always`, an `IsDefined`, an asynchronous
 * constraint, a metadata type it does not know. Never a guess. Pure apart from reading the storage.
 */
export function compileAcceptCheck(
  metatype: abstract new (...args: never[]) => object,
  storage: MetadataStorage = getMetadataStorage(),
): AcceptCheck | undefined {
  const metadatas = storage.getTargetValidationMetadatas(
    metatype,
    '',
    false,
    false,
    undefined,
  );
  if (metadatas.length === 0) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: CompiledProperty[] = [];
  for (const [name, list] of Object.entries(grouped)) {
    const conditions: Array<(object: object, value: unknown) => boolean> = [];
    const constraints: Array<CompiledProperty['constraints'][number]> = [];
    for (const metadata of list) {
      if (metadata.always || (metadata.groups && metadata.groups.length > 0))
        return undefined;
      switch (metadata.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(
            metadata.constraints[0] as (o: object, v: unknown) => boolean,
          );
          break;
        case ValidationTypes.CUSTOM_VALIDATION: {
          if (!metadata.constraintCls) return undefined;
          const validators = storage.getTargetValidatorConstraints(
            metadata.constraintCls,
          );
          if (validators.length === 0 || validators.some((v) => v.async))
            return undefined;
          constraints.push({
            metadata,
            validators: validators.map(
              (v) =>
                v.instance as {
                  validate(value: unknown, args: ValidationArguments): unknown;
                },
            ),
          });
          break;
        }
        default:
          // IS_DEFINED, NESTED_VALIDATION, PROMISE_VALIDATION and anything newer.
          return undefined;
      }
    }
    properties.push({ name, conditions, constraints });
  }
  const allowed = new Set(
    Object.entries(grouped)
      .filter(([, list]) => list.length > 0)
      .map(([name]) => name),
  );

  const check = (entity: object): boolean => {
    // forbidNonWhitelisted: any own key without a decorator is an error.
    for (const key of Object.keys(entity)) if (!allowed.has(key)) return false;
    const record = entity as Record<string, unknown>;
    for (const property of properties) {
      const value = record[property.name];
      let validated = true;
      // class-validator evaluates every condition (map, then reduce).
      for (const condition of property.conditions)
        if (!condition(entity, value)) validated = false;
      if (!validated) continue;
      for (const { metadata, validators } of property.constraints) {
        if (metadata.validateIf && !metadata.validateIf(entity, value))
          continue;
        const args: ValidationArguments = {
          targetName: (entity.constructor
            ? entity.constructor.name
            : undefined) as string,
          property: metadata.propertyName,
          object: entity,
          value,
          constraints: metadata.constraints,
        };
        // `each`: every item of an array, Set or Map (its values) is validated; any other value as it is.
        const items =
          metadata.each &&
          (Array.isArray(value) || value instanceof Set || value instanceof Map)
            ? value instanceof Map
              ? Array.from(value.values())
              : Array.from(value as Iterable<unknown>)
            : undefined;
        for (const validator of validators) {
          if (items) {
            for (const item of items) {
              const valid = validator.validate(item, args);
              // A promise is never awaited here: class-validator decides.
              if (isPromiseLike(valid) || !valid) return false;
            }
          } else {
            const valid = validator.validate(value, args);
            if (isPromiseLike(valid) || !valid) return false;
          }
        }
      }
    }
    return true;
  };
  return Object.assign(check, { allowed });
}
