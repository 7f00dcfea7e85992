// The project is ESM, so Jest runs in its ESM mode (node --experimental-vm-modules, see
// package.json) with ts-jest's ESM preset.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Compiles dist/ once for the tests that run the real process (test/process/).
  globalSetup: '<rootDir>/test/support/buildOnce.js',
  testTimeout: 20000,
};
