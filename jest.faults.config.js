/**
 * `npm run test:faults`: the service as real processes (api and worker roles, each on its own
 * redis-server) under load and failure. One file at a time: the scenarios start their own
 * processes and need the machine's cores for them.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/faults/*.faults.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 120000,
  maxWorkers: 1,
};
