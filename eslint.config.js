// Lint: type-aware rules that catch what tsc does not (a promise nobody awaits or
// catches can take the call path down as an unhandled rejection), plus unused code.
// web/ is plain browser JS and is checked by the browser tests, not here.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/**', 'migrations/**', 'tmp/**', 'eslint.config.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // event handlers may be async: their bodies handle their own errors
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-unused-private-class-members': 'error',
      'no-control-regex': 'error',
    },
  },
  {
    // tap runs the subtests it is handed; nothing awaits t.test at the top of a file
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['test'], package: '@tapjs/test' }, { from: 'package', name: ['test'], package: '@tapjs/core' }] }],
    },
  },
);
