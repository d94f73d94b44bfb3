// dependency-cruiser: who may import whom in src/ (`npm run deps`; CONTRIBUTING.md, "Tools").
//
// The layers, top to bottom. A layer may import the layers below it, never one above:
//   cli -> node.ts, domain.ts, node-work.ts (composition root) -> app.ts -> http/ -> modes/ (sandbox, cloud)
//   -> outbox/, cluster/ -> services/ (domain) -> db/, tls/ -> lib/, errors.ts, config.ts, metrics.ts
// On top of that: http/ never imports db/ (routes get services), outbox/ never imports services/, and lib/ imports
// only lib/ and errors.ts.
//
// `import type` counts (tsPreCompilationDeps): a type from a layer above ties the lower layer to it as surely as a
// value does, and it is how the next value import starts. The same goes for cycles.
// Tests are left out: a test may reach into any layer to set up what it checks.

/** Layers from the top; `path` matches the files of the layer. */
const LAYERS = [
  { name: 'cli', path: '^src/cli(\\.ts$|/)' },
  { name: 'node', path: '^src/(node|node-work|domain)\\.ts$' },
  { name: 'app', path: '^src/app\\.ts$' },
  { name: 'http', path: '^src/http/' },
  { name: 'modes', path: '^src/modes/' },
  { name: 'workers', path: '^src/(outbox|cluster)/' },
  { name: 'services', path: '^src/services/' },
  { name: 'storage', path: '^src/(db|tls)/' },
  { name: 'foundation', path: '^src/(lib/|errors\\.ts$|config\\.ts$|metrics\\.ts$)' },
];

/** One rule per layer: nothing in it imports any layer above it. */
const upwardImportRules = LAYERS.slice(1).map((layer, index) => ({
  name: `${layer.name}-imports-no-layer-above`,
  comment: `${layer.name} sits below ${LAYERS.slice(0, index + 1)
    .map((above) => above.name)
    .join(', ')}: it may not import them (the layers are listed at the top of .dependency-cruiser.cjs).`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(0, index + 1).map((above) => above.path) },
}));

module.exports = {
  forbidden: [
    ...upwardImportRules,
    {
      name: 'http-gets-services-not-db',
      comment: 'Routes and hooks are handed services; the database is reached through them, never directly.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'outbox-imports-no-services',
      comment: 'The outbox delivers what it is given; it knows nothing of the domain that filled it.',
      severity: 'error',
      from: { path: '^src/outbox/' },
      to: { path: '^src/services/' },
    },
    {
      name: 'lib-imports-only-lib-and-errors',
      comment: 'lib/ is the toolbox under everything: it may use itself and errors.ts, nothing of the program.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/(lib/|errors\\.ts$)' },
    },
    {
      name: 'no-circular-modules',
      comment: 'Two modules that import each other (directly or round a loop) are one module in two files.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'Folders that import each other round a loop: the files may be acyclic, the design is not.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead, or wired nowhere yet.',
      severity: 'error',
      from: { orphan: true, path: '^src/' },
      to: {},
    },
    {
      name: 'src-uses-no-dev-dependency',
      comment: 'The image installs only the dependencies: a value import of a devDependency fails at run time there.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import that resolves to no file fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: '\\.test\\.ts$|/test-table\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 is not among the parsers dependency-cruiser 17 knows; swc reads TypeScript, `import type` included.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
