import { IsInt, IsString, getMetadataStorage, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { DataRequestDto } from '../benchmarks/dto/data.request.dto';
import { CompareRequestDto } from '../comparison/dto/compare.request.dto';
import { ScorecardRequestDto } from '../comparison/dto/scorecard.request.dto';
import { TrajectoryRequestDto } from '../comparison/dto/trajectory.request.dto';
import { memoiseValidationMetadata } from './validation-metadata-cache';

const storage = getMetadataStorage();
const DTOS = [
  DataRequestDto,
  CompareRequestDto,
  ScorecardRequestDto,
  TrajectoryRequestDto,
];
const lookup = (dto: new () => object) =>
  storage.getTargetValidationMetadatas(dto, '', false, false, undefined);

class Named {
  @IsString()
  name!: string;
}

describe('memoiseValidationMetadata', () => {
  // Taken before memoising: what class-validator itself finds.
  const before = DTOS.map((dto) => lookup(dto));
  memoiseValidationMetadata();

  it("should find the same metadata as class-validator's own lookup, once per class and options", () => {
    DTOS.forEach((dto, i) => {
      const first = lookup(dto);
      expect(first).toEqual(before[i]);
      expect(first.length).toBeGreaterThan(0);
      expect(lookup(dto)).toBe(first);
      expect(storage.groupByPropertyName(first)).toBe(
        storage.groupByPropertyName(first),
      );
    });
    // Other options are other answers.
    expect(
      storage.getTargetValidationMetadatas(CompareRequestDto, '', false, true, [
        'x',
      ]),
    ).not.toBe(lookup(CompareRequestDto));
  });

  it('should forget what it knows when a decorator is registered later', async () => {
    const known = lookup(Named);
    expect(known).toHaveLength(1);
    IsInt()(Named.prototype, 'count'); // as a class loaded later would
    expect(lookup(Named)).toHaveLength(2);
    const errors = await validate(
      plainToInstance(Named, { name: 'a', count: 'many' }),
    );
    expect(errors.map((e) => e.property)).toEqual(['count']);
  });

  it('should install once', () => {
    const installed = Object.getOwnPropertyDescriptor(
      storage,
      'getTargetValidationMetadatas',
    )?.value as unknown;
    expect(installed).toBeInstanceOf(Function);
    memoiseValidationMetadata();
    expect(
      Object.getOwnPropertyDescriptor(storage, 'getTargetValidationMetadatas')
        ?.value,
    ).toBe(installed);
  });
});
