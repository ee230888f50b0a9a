// eslint (flat config) for the project's JavaScript: `make lint-js`. The browser modules of the
// calculator and the playground, the classic scripts around them, and the Node scripts.
import js from "@eslint/js";
import globals from "globals";

const strict = {
  ...js.configs.recommended.rules,
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
  eqeqeq: ["error", "always"],
  "no-var": "error",
  "prefer-const": "error",
  "no-implicit-globals": "error",
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
  "no-restricted-properties": ["error",
    { property: "innerHTML", message: "Build elements with dom.js h(): text only, never markup." },
    { property: "outerHTML", message: "Build elements with dom.js h(): text only, never markup." }],
  "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }], // modules of one concept
};

export default [
  { ignores: ["node_modules/", "site/", "build/", ".venv/", ".tools/", "dist/"] },
  {
    files: ["site_plugins/assets/refund/*.js"],
    ignores: ["site_plugins/assets/refund/early.js", "site_plugins/assets/refund/search-worker.js",
      "site_plugins/assets/refund/worker.js"],
    languageOptions: { ecmaVersion: 2025, sourceType: "module", globals: globals.browser },
    rules: strict,
  },
  {
    files: ["site_plugins/assets/refund/worker.js"],
    languageOptions: { ecmaVersion: 2025, sourceType: "module", globals: globals.worker },
    rules: strict,
  },
  {
    files: ["site_plugins/assets/refund/search-worker.js"],
    languageOptions: { ecmaVersion: 2025, sourceType: "script", globals: globals.worker },
    rules: strict,
  },
  {
    files: ["site_plugins/assets/refund/early.js"],
    languageOptions: { ecmaVersion: 2025, sourceType: "script", globals: globals.browser },
    rules: strict,
  },
  {
    files: ["**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2025, sourceType: "module", globals: globals.node },
    rules: strict,
  },
];
