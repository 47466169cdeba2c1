import type { TransformerPackage } from '@nestjs/common/interfaces/external/transformer-package.interface';
import {
  classToPlain,
  plainToInstance,
  type ClassConstructor,
  type ClassTransformOptions,
} from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer's decorator metadata: not exported from its index, read where @nestjs/mapped-types reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null;

/**
 * Whether class-transformer would only copy an object or array under `key` of `metatype` (no nested class to build,
 * no renaming or exclusion): then the copy may be skipped.
 */
function copiesOnly(metatype: object, key: string): boolean {
  return (
    defaultMetadataStorage.findTypeMetadata(
      metatype as ClassConstructor<unknown>,
      key,
    ) === undefined &&
    defaultMetadataStorage.getStrategy(
      metatype as ClassConstructor<unknown>,
    ) === 'none' &&
    defaultMetadataStorage.getExposedMetadatas(
      metatype as ClassConstructor<unknown>,
    ).length === 0 &&
    defaultMetadataStorage.getExcludedMetadatas(
      metatype as ClassConstructor<unknown>,
    ).length === 0
  );
}

/**
 * class-transformer's `plainToInstance` for request bodies, without the deep copy of their objects and arrays: the
 * instance gets the parsed values themselves. class-transformer copies every nested object key by key, and removes
 * duplicate keys with `indexOf`, a cost that grows with the square of an object's keys; for the API's DTOs (no nested
 * class) the copy equals the original, so validation sees the same values. Top-level strings and numbers still go
 * through class-transformer (its @Transform decorators trim names, for example); an object or array value is set
 * aside, `null` in its place while class-transformer runs, and put back after. A class with nested types, @Expose or
 * @Exclude gets class-transformer's own copy.
 */
export function plainToDto<T>(
  metatype: ClassConstructor<T>,
  plain: unknown,
  options?: ClassTransformOptions,
): T {
  if (!isObject(plain) || Array.isArray(plain))
    return plainToInstance<T, unknown>(metatype, plain, options);
  const source = plain as Record<string, unknown>;
  const shallow: Record<string, unknown> = {};
  const setAside: string[] = [];
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (isObject(value) && copiesOnly(metatype, key)) {
      shallow[key] = null;
      setAside.push(key);
    } else shallow[key] = value;
  }
  const instance = plainToInstance(metatype, shallow, options);
  for (const key of setAside)
    (instance as Record<string, unknown>)[key] = source[key];
  return instance;
}

/** The transformer the validation pipe uses: {@link plainToDto}, and class-transformer's own way back. */
export const SHALLOW_TRANSFORMER: TransformerPackage = {
  plainToInstance: plainToDto,
  classToPlain,
};
