/**
 * `flowc compile --watch`: what it notices (compiler/watch.ts), changes of the YAML files the
 * compile reads, reported once per burst, one burst at a time; and the command, run as a user
 * runs it, compiling again on each change.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchInputs, type Watching } from "../../compiler/watch.ts";
import { BIN, project, runBin } from "../support/cli.ts";

const open: Watching[] = [];
const processes: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const watching of open.splice(0)) watching.close();
  for (const child of processes.splice(0)) child.kill();
});

/** Watches `inputs` of `dir`; `next()` resolves with the files of the next reported burst. */
function watchIn(dir: string, inputs: { path: string; isDirectory: boolean }[], handler?: (files: readonly string[]) => Promise<void>) {
  const bursts: (readonly string[])[] = [];
  const waiting: ((files: readonly string[]) => void)[] = [];
  const failures: string[] = [];
  const watching = watchInputs(
    inputs.map((input) => ({ absolute: join(dir, input.path), isDirectory: input.isDirectory })),
    dir,
    {
      changed: (files) => {
        const waiter = waiting.shift();
        if (waiter) waiter(files);
        else bursts.push(files);
        return handler?.(files);
      },
      failed: (path, reason) => void failures.push(`${path}: ${reason}`),
    },
  );
  open.push(watching);
  const next = (): Promise<readonly string[]> => {
    const ready = bursts.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { watching, next, bursts, failures };
}

/** Lets the watcher start (inotify watches are added when `watch` returns, but give the event loop a turn). */
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

describe("flowc compile --watch: what it notices", () => {
  it("reports a burst of writes to a YAML file in a nested folder once", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n", "flows/deep/b.yml": "flows: {}\n" });
    const { next, bursts } = watchIn(dir, [{ path: "flows", isDirectory: true }]);
    await settle();
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, "flows/deep/b.yml"), `flows: {} # ${i}\n`);
    expect(await next()).toEqual([join("flows", "deep", "b.yml")]);
    await settle(250);
    expect(bursts).toEqual([]);
  });

  it("leaves out files the compile does not read: other extensions, hidden files and folders, node_modules", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n" });
    const { next } = watchIn(dir, [{ path: "flows", isDirectory: true }]);
    await settle();
    writeFileSync(join(dir, "flows/actions.ts"), "export {};\n");
    writeFileSync(join(dir, "flows/.hidden.yml"), "flows: {}\n");
    mkdirSync(join(dir, "flows/node_modules/pkg"), { recursive: true });
    writeFileSync(join(dir, "flows/node_modules/pkg/x.yml"), "flows: {}\n");
    mkdirSync(join(dir, "flows/.git"));
    writeFileSync(join(dir, "flows/.git/y.yaml"), "flows: {}\n");
    writeFileSync(join(dir, "flows/new.yaml"), "flows: {}\n");
    expect(await next()).toEqual([join("flows", "new.yaml")]);
  });

  it("leaves out Python virtual environments, and watches folders made after it started, with the files already in them", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n", "flows/venv/pyvenv.cfg": "home = /usr\n", "flows/venv/lib/rasa.yml": "flows: {}\n" });
    const { next } = watchIn(dir, [{ path: "flows", isDirectory: true }]);
    await settle();
    writeFileSync(join(dir, "flows/venv/lib/rasa.yml"), "flows: {} # 1\n");
    writeFileSync(join(dir, "flows/venv/other.yml"), "flows: {}\n");
    mkdirSync(join(dir, "flows/new/deeper"), { recursive: true });
    writeFileSync(join(dir, "flows/new/deeper/b.yml"), "flows: {}\n"); // before its folder's watch can be set
    expect(await next()).toEqual([join("flows", "new", "deeper", "b.yml")]);
    writeFileSync(join(dir, "flows/new/deeper/b.yml"), "flows: {} # 1\n"); // and after
    expect(await next()).toEqual([join("flows", "new", "deeper", "b.yml")]);
  });

  it("notices a folder removed with its YAML files, and ends when the folder it was given goes", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n", "flows/old/b.yml": "flows: {}\n" });
    const { next, watching, failures } = watchIn(dir, [{ path: "flows", isDirectory: true }]);
    await settle();
    rmSync(join(dir, "flows/old"), { recursive: true });
    expect(await next()).toContain(join("flows", "old"));
    rmSync(join(dir, "flows"), { recursive: true });
    await watching.ended;
    expect(failures).toEqual([`${join(dir, "flows")}: it no longer exists`]);
  });

  it("notices a removed YAML file, and a given file replaced by a rename, as editors save", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n", "flows/b.yml": "flows: {}\n", "domain.yml": "slots: {}\n", "other.yml": "x: 1\n" });
    const { next } = watchIn(dir, [
      { path: "flows", isDirectory: true },
      { path: "domain.yml", isDirectory: false },
    ]);
    await settle();
    rmSync(join(dir, "flows/b.yml"));
    expect(await next()).toEqual([join("flows", "b.yml")]);
    writeFileSync(join(dir, "other.yml"), "x: 2\n"); // beside the given file, not given
    writeFileSync(join(dir, "domain.yml.tmp"), "slots: {}\nresponses: {}\n");
    renameSync(join(dir, "domain.yml.tmp"), join(dir, "domain.yml"));
    expect(await next()).toEqual(["domain.yml"]);
  });

  it("holds the changes made while a burst is handled until it is done, then reports them together", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n", "flows/b.yml": "flows: {}\n" });
    let finish!: () => void;
    const handled = new Promise<void>((resolve) => (finish = resolve));
    let calls = 0;
    const { next } = watchIn(dir, [{ path: "flows", isDirectory: true }], () => (++calls === 1 ? handled : Promise.resolve()));
    await settle();
    writeFileSync(join(dir, "flows/a.yml"), "flows: {} # 1\n");
    expect(await next()).toEqual([join("flows", "a.yml")]);
    writeFileSync(join(dir, "flows/b.yml"), "flows: {} # 1\n");
    await settle(300);
    writeFileSync(join(dir, "flows/a.yml"), "flows: {} # 2\n");
    await settle(300);
    expect(calls).toBe(1); // the first burst is still being handled
    finish();
    expect(await next()).toEqual([join("flows", "a.yml"), join("flows", "b.yml")]);
    expect(calls).toBe(2);
  });

  it("ends when it is closed", async () => {
    const dir = project({ "flows/a.yml": "flows: {}\n" });
    const { watching, bursts } = watchIn(dir, [{ path: "flows", isDirectory: true }]);
    await settle();
    writeFileSync(join(dir, "flows/a.yml"), "flows: {} # 1\n");
    watching.close(); // before the burst is over: it is dropped
    await watching.ended;
    await settle(250);
    expect(bursts).toEqual([]);
  });
});

const DOMAIN = `slots:
  amount:
    type: float
responses:
  utter_ask_amount:
    - text: How much?
`;

const FLOWS = `flows:
  send_money:
    description: Sends money.
    steps:
      - collect: amount
`;

/**
 * `flowc ARGV` started in `dir`; `until(pattern)` resolves with standard output or error (as
 * `which` says) once it matches, counting only what came after the previous match.
 */
function startBin(argv: readonly string[], dir: string) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: dir });
  processes.push(child);
  const text = { out: "", err: "" };
  const seen = { out: 0, err: 0 };
  const listeners: (() => void)[] = [];
  for (const which of ["out", "err"] as const) {
    (which === "out" ? child.stdout : child.stderr).on("data", (chunk: Buffer) => {
      text[which] += chunk.toString("utf8");
      for (const listener of listeners.slice()) listener();
    });
  }
  const until = (which: "out" | "err", pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const rest = text[which].slice(seen[which]);
        const match = pattern.exec(rest);
        if (!match) return false;
        seen[which] += match.index + match[0].length;
        resolve(rest.slice(0, match.index + match[0].length));
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => reject(new Error(`flowc printed no ${pattern} on standard ${which === "out" ? "output" : "error"} in 20 s:\n${text.out}\n--- standard error:\n${text.err}`)), 20_000);
      const listener = (): void => {
        if (!check()) return;
        listeners.splice(listeners.indexOf(listener), 1);
        clearTimeout(timer);
      };
      listeners.push(listener);
      child.on("exit", (code) => reject(new Error(`flowc exited (${code}) before printing ${pattern}:\n${text.out}\n${text.err}`)));
    });
  return { child, until };
}

describe("flowc compile --watch", () => {
  it("compiles, then again on each change of a YAML file, until it is stopped", async () => {
    const dir = project({ "flows/domain.yml": DOMAIN, "flows/flows.yml": FLOWS });
    const { child, until } = startBin(["compile", "--watch"], dir);
    expect(await until("out", /checked 1 flow: 0 errors, 0 warnings.*\n/)).toMatch(/wrote \d+ files to generated\//);
    await until("err", /watching flows for changes/);
    expect(existsSync(join(dir, "generated/flows/send_money.ts"))).toBe(true);

    writeFileSync(join(dir, "flows/flows.yml"), FLOWS.replace("collect: amount", "collect: amount\n        next: confirm"));
    expect(await until("err", /flows\/flows\.yml changed; compiling again/)).toContain("flows/flows.yml changed");
    const broken = await until("out", /1 error, 0 warnings\n/);
    expect(broken).toMatch(/flows\/flows\.yml:6:\d+: error FLW\d{4}: .*`confirm`/);

    mkdirSync(join(dir, "flows/more"));
    writeFileSync(join(dir, "flows/flows.yml"), FLOWS);
    writeFileSync(join(dir, "flows/more/other.yml"), FLOWS.replace(/send_money/g, "check_balance").replace("Sends money.", "Checks the balance."));
    await until("out", /checked 2 flows: 0 errors, 0 warnings/); // after one compilation or, on a slow machine, two
    expect(existsSync(join(dir, "generated/flows/check_balance.ts"))).toBe(true);
    expect(child.exitCode).toBe(null); // still watching
  });

  it("prints each compilation's JSON on one line", async () => {
    const dir = project({ "flows/domain.yml": DOMAIN, "flows/flows.yml": FLOWS });
    const { until } = startBin(["compile", "--watch", "--no-emit", "--format", "json"], dir);
    const first = await until("out", /\n/);
    expect(JSON.parse(first)).toEqual({ errors: [], warnings: [] });
    await until("err", /watching flows for changes/);
    writeFileSync(join(dir, "flows/flows.yml"), FLOWS.replace("collect: amount", "collect: amount\n        next: confirm"));
    const second = JSON.parse(await until("out", /\n/)) as { errors: { file: string; line: number }[] };
    expect(second.errors.map((d) => [d.file, d.line])).toEqual([["flows/flows.yml", 6]]);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });

  it("refuses --verify, and a path that does not exist, as usage or I/O errors", () => {
    const dir = project({ "flows/domain.yml": DOMAIN, "flows/flows.yml": FLOWS });
    const verify = runBin(["compile", "--watch", "--verify"], dir);
    expect([verify.status, verify.stderr]).toEqual([2, expect.stringContaining("cannot go with --watch")]);
    const missing = runBin(["compile", "flows", "nowhere", "--watch"], dir);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining("cannot watch `nowhere`")]);
    expect(readFileSync(join(dir, "flows/flows.yml"), "utf8")).toBe(FLOWS);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });
});
