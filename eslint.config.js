// @ts-check
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".cache/**", "test-results/**", "extensions/*/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Thin edges over a real core: only repositories (and the client module) touch Prisma,
    // and the domain never imports Remix or Polaris.
    files: ["app/crm/**/*.{ts,tsx}"],
    ignores: ["app/crm/**/*.repository.server.ts", "app/crm/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@prisma/client",
              message: "Only *.repository.server.ts files use Prisma.",
              allowTypeImports: true,
            },
            { name: "@remix-run/node", message: "The domain layer does not depend on Remix." },
            { name: "@remix-run/react", message: "The domain layer does not depend on Remix." },
            { name: "@shopify/polaris", message: "The domain layer does not depend on Polaris." },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**/*.ts", "test/**/*.ts", "server.ts", "workers/**/*.ts", "prisma/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
