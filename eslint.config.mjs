// @ts-check
import eslint from '@eslint/js';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What only a repositories/ folder may import (see the rule below). */
const DATA_ACCESS_MESSAGE =
  "Database access belongs in the lib's repositories/ folder: inject a repository class instead.";
/**
 * What gets a lib at the database: the injection decorators, the tokens a factory provider's `inject` would name, and
 * TypeORM's DataSource, EntityManager and Repository as values (`inject: [DataSource]`). As types they may pass
 * through a service: a repository's transaction handed to another lib's read (`within`).
 */
const DATA_ACCESS_IMPORTS = [
  {
    name: '@nestjs/typeorm',
    importNames: [
      'InjectDataSource',
      'InjectEntityManager',
      'InjectRepository',
      'getDataSourceToken',
      'getEntityManagerToken',
      'getRepositoryToken',
    ],
    message: DATA_ACCESS_MESSAGE,
  },
  {
    name: 'typeorm',
    importNames: ['DataSource', 'EntityManager', 'Repository'],
    message: DATA_ACCESS_MESSAGE,
    allowTypeImports: true,
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'test-output/**',
      'openapi/**',
      '**/*.js',
      '!apps/omnitron/admin/js/**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off', // Nest modules are decorated empty classes.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Response DTOs are plain objects shaped like the DTO class (the class exists for validation and OpenAPI).
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // The back office's pages: build-free browser modules, type-checked by `npm run typecheck` (their own
    // tsconfig, strict with noImplicitAny, `// @ts-check` and JSDoc types), linted here with the recommended rules
    // but without the type-aware ones (those run on the project's TypeScript program, which these are not part of).
    files: ['apps/omnitron/admin/js/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: globals.browser,
    },
  },
  {
    // All SQL and TypeORM access of a lib is in its repositories/ (README, "Architecture"): nothing else injects a
    // DataSource, an EntityManager or a TypeORM repository. libs/database is the database itself.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['**/repositories/**', 'libs/database/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: DATA_ACCESS_IMPORTS }],
    },
  },
  {
    // Controllers take what they need of a request through parameter decorators (`@RequestContext()`,
    // `@StaffChannel()` or `@Caller()` for who is calling, `@PageUrl()` for a page's links, `@Body()`, `@Query()`,
    // `@Param()`), never the raw request or its headers.
    files: ['apps/**/*.controller.ts', 'libs/**/*.controller.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: ['Req', 'Request', 'Ip', 'Headers'],
              message:
                'Take who is calling with @RequestContext(), @StaffChannel() or @Caller(), and a page URL with ' +
                '@PageUrl(), instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // Files stay one responsibility each: past 400 lines, split along responsibilities (tests excluded).
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/valid-title': ['error', { ignoreTypeOfDescribeName: true }],
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*'] }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
