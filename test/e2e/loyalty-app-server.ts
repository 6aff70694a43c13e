// The app for the loyalty end-to-end tests: the Remix app served by Vite's dev server in
// middleware mode behind Express, so the tests need no production build (and never touch the
// shared build/ directory). Configuration comes from the environment, as for server.ts.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer } from "vite";

const port = Number(process.env.PORT);
const vite = await createServer({
  server: { middlewareMode: true, hmr: false },
  appType: "custom",
  // A cache of its own: other runs of Vite on this checkout keep theirs.
  cacheDir: process.env.VITE_CACHE_DIR,
  logLevel: "warn",
  // Without HMR nothing reloads the page when Vite finds a dependency late (a cold cache then
  // serves two copies of React): scan every route up front so the first page has them all.
  optimizeDeps: {
    entries: ["app/root.tsx", "app/routes/*.tsx"],
    include: [
      "react",
      "react-dom",
      "react-dom/client",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "@remix-run/react",
    ],
  },
});
const app = express();
app.use(vite.middlewares);
app.all(
  "*",
  createRequestHandler({
    build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    mode: "development",
  }),
);
const server = app.listen(port, "127.0.0.1", () => console.log(`loyalty e2e app listening on ${port}`));

function stop() {
  server.close();
  void vite.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
