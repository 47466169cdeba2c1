import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Metadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;

const MEMOISED = Symbol('benchmark-api.memoisedValidationMetadata');

/**
 * Makes class-validator look up a class's validation metadata once instead of on every validation (its storage
 * filters and groups every decorator of the class and its parents on each call). A trick that pays: BENCHMARKS.md,
 * redesign. The answers are kept per class and options until a decorator or schema is registered, which forgets them
 * all; the arrays handed out are shared (class-validator reads them and never changes them).
 *
 * Installs itself once on the global storage; later calls do nothing.
 */
export function memoiseValidationMetadata(
  storage: MetadataStorage = getMetadataStorage(),
): void {
  const target = storage as MetadataStorage & { [MEMOISED]?: true };
  if (target[MEMOISED]) return;
  target[MEMOISED] = true;

  let byClass = new WeakMap<object, Map<string, Metadata>>();
  let grouped = new WeakMap<Metadata, Record<string, Metadata>>();
  const forget = () => {
    byClass = new WeakMap();
    grouped = new WeakMap();
  };

  const lookup = target.getTargetValidationMetadatas.bind(target);
  target.getTargetValidationMetadatas = (
    constructor,
    targetSchema,
    always,
    strictGroups,
    groups,
  ) => {
    const options = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups ? JSON.stringify(groups) : ''}`;
    let forClass = byClass.get(constructor);
    if (!forClass) {
      forClass = new Map();
      byClass.set(constructor, forClass);
    }
    let found = forClass.get(options);
    if (!found) {
      found = lookup(constructor, targetSchema, always, strictGroups, groups);
      forClass.set(options, found);
    }
    return found;
  };

  const group = target.groupByPropertyName.bind(target);
  target.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) {
      found = group(metadata);
      grouped.set(metadata, found);
    }
    return found;
  };

  for (const method of [
    'addValidationMetadata',
    'addConstraintMetadata',
    'addValidationSchema',
  ] as const) {
    const add = target[method].bind(target);
    target[method] = (arg: never) => {
      forget();
      add(arg);
    };
  }
}
