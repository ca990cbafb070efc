/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/node-environment.js',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // MikroORM 7 and kysely ship ESM only; Jest's CommonJS runtime needs them transformed.
  transformIgnorePatterns: ['/node_modules/(?!(@mikro-orm|kysely)/)'],
  // webdriverio's CommonJS entry import()s its ESM build, which Jest's sandbox cannot do.
  moduleNameMapper: { '^webdriverio$': '<rootDir>/test/support/webdriverio-outside-sandbox.js' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/data/', '/.tools/'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // In CI a leaked handle must fail loudly, not hang the run until its time limit; locally Jest reports it.
  forceExit: Boolean(process.env.CI),
  maxWorkers: 2,
};
