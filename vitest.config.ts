import { defineConfig } from 'vitest/config';

// Powertools stays quiet in tests: no EMF lines, warnings only when they matter.
const env = { POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR' };

// One runner, several projects: pure unit tests, integration tests against the real local
// stand-ins, Worker tests inside workerd, CDK assertions, and the whole stack end to end.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'shared/**/*.test.ts'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
          hookTimeout: 90_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['tests/cdk/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      './edge-worker/vitest.config.ts',
    ],
  },
});
