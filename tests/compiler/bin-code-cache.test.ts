/**
 * bin/flowc.js runs the bundle with V8's code cache (dist/flowc.cache, scripts/build.ts): a
 * cache is written after a run and used by the next, and one that does not fit the bundle —
 * of another bundle, even of the same length, or damaged — is never used but replaced, while
 * a cache that cannot be written changes nothing. Run on a copy of the package's bin and
 * bundle, so that the flowc processes of other tests keep theirs.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A package folder with the bin and the built bundle (no sources: the bundle counts as fresh). */
function copyOfPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), "flowc-bin-"));
  copies.push(dir);
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  cpSync(join(ROOT, "bin", "flowc.js"), join(dir, "bin", "flowc.js"));
  mkdirSync(join(dir, "dist"));
  for (const file of ["flowc.js", "package.json"]) cpSync(join(ROOT, "dist", file), join(dir, "dist", file));
  return dir;
}

function flowc(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, "bin", "flowc.js"), ...args], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

const EVAL = ["eval", "slots.a > 1", "--doc", '{"slots": {"a": 2}}'];
const ANSWER = '{"valid":true,"result":true,"error":null}\n';

function sha256(path: string): Buffer {
  return createHash("sha256").update(readFileSync(path)).digest();
}

describe("bin/flowc.js and the code cache of the bundle", () => {
  it("writes the cache after a run, marked with the bundle's hash, and the next run uses it as it is", () => {
    const dir = copyOfPackage();
    const cache = join(dir, "dist", "flowc.cache");
    expect(flowc(dir, ...EVAL)).toBe(ANSWER);
    const written = readFileSync(cache);
    expect(written.subarray(0, 32).equals(sha256(join(dir, "dist", "flowc.js")))).toBe(true);
    expect(written.length).toBeGreaterThan(1000);
    expect(flowc(dir, ...EVAL)).toBe(ANSWER);
    expect(readFileSync(cache).equals(written)).toBe(true);
    expect(readdirSync(join(dir, "dist")).sort()).toEqual(["flowc.cache", "flowc.js", "package.json"]);
  });

  it("runs a changed bundle of the same length as it now is, not as the cache of the old one says", () => {
    const dir = copyOfPackage();
    const bundle = join(dir, "dist", "flowc.js");
    expect(flowc(dir, "--help")).toContain("show this help");
    const old = readFileSync(join(dir, "dist", "flowc.cache"));
    const changed = readFileSync(bundle, "utf8").replace("show this help", "show THIS help");
    expect(changed.length).toBe(readFileSync(bundle, "utf8").length);
    writeFileSync(bundle, changed);
    expect(flowc(dir, "--help")).toContain("show THIS help");
    const now = readFileSync(join(dir, "dist", "flowc.cache"));
    expect(now.equals(old)).toBe(false);
    expect(now.subarray(0, 32).equals(sha256(bundle))).toBe(true);
  });

  it("replaces a damaged cache that carries the bundle's hash", () => {
    const dir = copyOfPackage();
    const cache = join(dir, "dist", "flowc.cache");
    const damaged = Buffer.concat([sha256(join(dir, "dist", "flowc.js")), Buffer.alloc(4096, 7)]);
    writeFileSync(cache, damaged);
    expect(flowc(dir, ...EVAL)).toBe(ANSWER);
    expect(readFileSync(cache).equals(damaged)).toBe(false);
    expect(flowc(dir, ...EVAL)).toBe(ANSWER);
  });

  it("runs as usual where the cache cannot be written, and leaves nothing behind", () => {
    const dir = copyOfPackage();
    mkdirSync(join(dir, "dist", "flowc.cache"));
    expect(flowc(dir, ...EVAL)).toBe(ANSWER);
    expect(statSync(join(dir, "dist", "flowc.cache")).isDirectory()).toBe(true);
    expect(readdirSync(join(dir, "dist")).sort()).toEqual(["flowc.cache", "flowc.js", "package.json"]);
  });
});
