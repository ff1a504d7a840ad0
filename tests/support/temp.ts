/**
 * Temporary folders for tests, removed when the test file ends. The `afterAll` below is
 * registered when this module is evaluated: vitest evaluates a test file's imports afresh for
 * each test file (isolated workers), while it collects that file's tests, so the hook belongs
 * to the root suite of whichever test file imports this module, directly or through another
 * support module, and runs once that file's tests are done. A hook registered lazily, on the
 * first call, would instead belong to the test (or `describe`) making that call, and a hook
 * registered inside a running test never runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const folders: string[] = [];

afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A new empty folder named `prefix` and six random characters, in `parent` (the system's
 * temporary folder unless a test needs one inside the repository, for module resolution),
 * removed with everything in it when the test file ends.
 */
export function temporaryFolder(prefix: string, parent: string = tmpdir()): string {
  const folder = mkdtempSync(join(parent, prefix));
  folders.push(folder);
  return folder;
}
