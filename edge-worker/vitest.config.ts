import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The plugin resolves a relative configPath against the project root (the repo), not this file,
// so the path is made absolute from here.
const wranglerToml = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: wranglerToml } })],
  test: {
    name: 'worker',
    root: '..',
    include: ['tests/worker/**/*.test.ts'],
    // One workerd for all files: each file resets KV and restores its fetch mock after every test.
    isolate: false,
  },
});
