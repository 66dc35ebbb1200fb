// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import solid from 'eslint-plugin-solid/configs/typescript';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'public/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ...solid,
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/**/*.tsx'],
    rules: {
      // styleProp creates its own render effect (see views/style-prop.ts).
      'solid/reactivity': ['warn', { customReactiveFunctions: ['styleProp'] }],
    },
  },
  {
    // Stores read signals imperatively (in socket handlers and actions) on
    // purpose; only components need the tracking rules.
    files: ['src/state/**/*.ts'],
    rules: { 'solid/reactivity': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['src/views/**/*.tsx', 'src/state/**/*.ts'],
    rules: {
      // Views and stores reach the server only through bindings.ts.
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use a function from src/lib/bindings.ts.' },
        { name: 'WebSocket', message: 'Use the shared socket from src/lib/transport.ts.' },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', '*.ts', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
