/**
 * End-to-end tests (npm run test:e2e): a real WordPress on MariaDB with the Encore plugin and a
 * WooCommerce stand-in, the Encore service in-process, Debian's Chromium. One worker: the test
 * files share one WordPress. globalSetup installs missing Debian packages and starts the stack.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/test/e2e/global-setup.ts',
  globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 1,
};
