/**
 * The browser SDK as an npm package (`@attune/browser-sdk`), made from the very file the edge
 * serves at `/sdk.js`, so the two cannot drift: the script's closing invocation is swapped for
 * one that hands it the module's root, and the API is exported instead of left on `window`.
 */

/** How the served script ends: it installs itself on `window` (or the global object). */
const SCRIPT_TAIL = "})(typeof window !== 'undefined' ? window : this);";

const EXPORTS = ['init', 'recommendations', 'related', 'track', 'observe', 'flush', 'identity'] as const;

/** One file of the package: its path inside the package directory and its text. */
export interface PackageFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The script's body as a function of `root`, and the code that runs it without leaving a
 * global `Attune` behind (a module's importers get it from the import, not from `window`).
 * @throws Error when the served script no longer ends the way this build expects.
 */
function moduleBody(source: string): string {
  const at = source.lastIndexOf(SCRIPT_TAIL);
  if (at < 0)
    throw new Error(`sdk.js no longer ends with ${SCRIPT_TAIL}; update edge-worker/sdk/package-files.ts`);
  return [
    "var root = typeof window !== 'undefined' ? window : globalThis;",
    'var previous = root.Attune;',
    `${source.slice(0, at)}})(root);`,
    'var Attune = root.Attune;',
    'if (previous === undefined) delete root.Attune;',
    'else root.Attune = previous;',
  ].join('\n');
}

/** The package's files, from the served SDK source, the type declarations and a version. */
export function sdkPackageFiles(source: string, declarations: string, version: string): PackageFile[] {
  const body = moduleBody(source);
  const esm = [
    body,
    'export default Attune;',
    ...EXPORTS.map((name) => `export var ${name} = Attune.${name};`),
    '',
  ].join('\n');
  const cjs = [body, 'module.exports = Attune;', 'module.exports.default = Attune;', ''].join('\n');
  const manifest = {
    name: '@attune/browser-sdk',
    version,
    description:
      'Attune browser SDK: recommendations, related items and event tracking through the Attune edge.',
    license: 'UNLICENSED',
    type: 'module',
    main: './index.cjs',
    module: './index.js',
    types: './index.d.ts',
    exports: {
      '.': { types: './index.d.ts', import: './index.js', require: './index.cjs' },
    },
    files: ['index.js', 'index.cjs', 'index.d.ts', 'sdk.js'],
    // Importing it registers pagehide/visibilitychange listeners that flush queued events.
    sideEffects: true,
  };
  return [
    { path: 'index.js', text: esm },
    { path: 'index.cjs', text: cjs },
    { path: 'index.d.ts', text: declarations },
    { path: 'sdk.js', text: source },
    { path: 'package.json', text: `${JSON.stringify(manifest, null, 2)}\n` },
  ];
}
