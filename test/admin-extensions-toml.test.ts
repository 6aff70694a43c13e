// The admin UI extensions' shopify.extension.toml files parse, name the customer details targets
// at the same API version as the other UI extension, point at modules that exist and export that
// target, and the app routes their fetch() calls reach exist.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface ExtensionToml {
  api_version: string;
  extensions: { name: string; handle: string; type: string; targeting: { module: string; target: string }[] }[];
}

const readToml = (folder: string) =>
  parse(
    readFileSync(path.join(root, "extensions", folder, "shopify.extension.toml"), "utf8"),
  ) as unknown as ExtensionToml;

const EXTENSIONS = [
  {
    folder: "customer-insights-block",
    target: "admin.customer-details.block.render",
    routes: ["app/routes/api.admin-extensions.customer.$id.tsx"],
  },
  {
    folder: "adjust-points-action",
    target: "admin.customer-details.action.render",
    routes: ["app/routes/api.admin-extensions.customer.$id.tsx", "app/routes/api.admin-extensions.adjust-points.tsx"],
  },
];

describe("admin UI extensions", () => {
  for (const { folder, target, routes } of EXTENSIONS) {
    it(`${folder} renders on ${target}`, () => {
      const toml = readToml(folder);
      // The same version as the customer account extension: the last with React components.
      expect(toml.api_version).toBe(readToml("loyalty-account").api_version);
      expect(toml.api_version).toBe("2025-07");
      expect(toml.extensions).toHaveLength(1);
      const [extension] = toml.extensions;
      expect(extension).toMatchObject({ handle: folder, type: "ui_extension" });
      expect(extension!.targeting).toEqual([{ module: expect.stringMatching(/^\.\/src\/\w+\.tsx$/), target }]);
      const module = path.join(root, "extensions", folder, extension!.targeting[0]!.module);
      expect(existsSync(module), module).toBe(true);
      const source = readFileSync(module, "utf8");
      expect(source).toContain(`const TARGET = "${target}"`);
      expect(source).toContain("reactExtension(TARGET");
      for (const route of routes) expect(existsSync(path.join(root, route)), route).toBe(true);
    });
  }
});
