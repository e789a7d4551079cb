/**
 * The allowed dependency graph (README, "Architecture"; ADR 0012), checked by `npm run lint:deps` (part of
 * `npm run lint`, so of CI):
 *
 *   apps -> checkout, loyalty-card -> ledger -> identity, settings, geography -> database -> common
 *
 * A module may import only from its own part or a layer below; nothing under libs/ imports an app, a script or a
 * test; apps, scripts and other libs import a lib only through its public `src/index.ts` (as `@app/<lib>`); tests
 * may import a lib's own files.
 */
const LAYERS = [
  ['common'],
  ['database'],
  ['identity', 'settings', 'geography'],
  ['ledger'],
  ['checkout', 'loyalty-card'],
];

const layerOf = (lib) => LAYERS.findIndex((layer) => layer.includes(lib));

/** For each lib: the libs above it or beside it in its layer, which it may not import. */
const upward = LAYERS.flat().map((lib) => {
  const forbidden = LAYERS.flat().filter((other) => other !== lib && layerOf(other) >= layerOf(lib));
  return {
    name: `no-upward-import-${lib}`,
    comment: `libs/${lib} may import only the libs below it: ${LAYERS.slice(0, layerOf(lib)).flat().join(', ') || 'none'}`,
    severity: 'error',
    from: { path: `^libs/${lib}/` },
    to: { path: `^libs/(${forbidden.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-lib-imports-app-script-or-test',
      comment: 'A lib is used by apps, scripts and tests, never the other way round (test helpers included).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|scripts|test)/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-only-through-its-index',
      comment:
        "Apps and scripts import a lib as `@app/<lib>` (its src/index.ts): its other files are the lib's own. Tests " +
        'may reach inside a lib (a migration, a repository), as they test its parts.',
      severity: 'error',
      from: { path: '^(apps|scripts)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'lib-only-through-its-index-between-libs',
      comment: 'Another lib imports a lib as `@app/<lib>` (its src/index.ts), never a file inside it.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-circular-between-libs',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { circular: true, path: '^libs/', pathNot: '^libs/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.data|coverage|openapi)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
