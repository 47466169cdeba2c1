/**
 * Unit tests: *.spec.ts beside the code in src/ and tools/. The Redis store's suites need TEST_REDIS_URL (global
 * setup).
 */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: 'src',
  roots: ['<rootDir>', '<rootDir>/../tools'],
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  collectCoverageFrom: ['**/*.ts', '!main.ts', '!**/*.contract.ts'],
  coverageDirectory: '../coverage',
  testEnvironment: 'node',
  globalSetup: '<rootDir>/../test/global-setup.ts',
  setupFiles: ['<rootDir>/../test/silent-logger.ts'],
  globalTeardown: '<rootDir>/../test/global-teardown.ts',
};
