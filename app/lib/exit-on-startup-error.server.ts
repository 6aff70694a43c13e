import { EnvError } from "../config/env.server";
import { ServiceUnavailableError } from "./service-checks.server";

/** Runs a process's startup; a configuration or service problem exits 1 with one line. */
export async function exitOnStartupError<T>(startup: () => Promise<T>): Promise<T> {
  try {
    return await startup();
  } catch (error) {
    if (error instanceof EnvError || error instanceof ServiceUnavailableError) {
      process.stderr.write(`kinship: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
