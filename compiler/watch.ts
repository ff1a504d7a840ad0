/**
 * What `flowc compile --watch` watches: the YAML files the compile reads, under the folders
 * and at the files it was given. A burst of changes (an editor writes a file in several steps,
 * a checkout changes many) is reported once, after a short quiet spell, with the files that
 * changed in it. A change made while the previous one is still being handled waits for it.
 *
 * Each folder the compile searches is watched on its own (one watch per folder, not per file),
 * and only those: not hidden ones, `node_modules` or Python virtual environments, as
 * findYamlFiles skips them. Node's own recursive watch on Linux watches every file of every
 * folder, which under a project root with `node_modules` means tens of thousands.
 */
import { existsSync, readdirSync, realpathSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { describeIoError, isSearchedFolder, isSkippedName, isYamlName } from "./passes/load-yaml-files.ts";

/** How long the files must stay unchanged before a burst of changes is reported. */
export const QUIET_MS = 100;

export interface WatchedInput {
  /** The path as the user gave it, absolute. */
  readonly absolute: string;
  readonly isDirectory: boolean;
}

export interface WatchHandlers {
  /** The files that changed (paths relative to `cwd`), once the burst is over; the next burst waits for the promise. */
  readonly changed: (files: readonly string[]) => void | Promise<void>;
  /**
   * A folder or file that cannot be watched (any more): a given path that was removed, say, or
   * a folder under one that the system refuses to watch (too many watches); the others go on.
   */
  readonly failed: (path: string, reason: string) => void;
}

export interface Watching {
  /** Stops watching; a burst not yet reported is dropped. */
  close(): void;
  /** Settles when nothing is watched any more (every given path failed, or `close` was called). */
  readonly ended: Promise<void>;
}

export function watchInputs(inputs: readonly WatchedInput[], cwd: string, handlers: WatchHandlers): Watching {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  let endWatching!: () => void;
  const ended = new Promise<void>((resolve) => (endWatching = resolve));
  /**
   * The watches, by the folder they watch (a given file's, by the file), each with the given
   * path it serves and the folder's real path (a folder two links lead to is watched once).
   */
  const folders = new Map<string, { readonly watcher: FSWatcher; readonly input: WatchedInput; readonly real: string }>();
  const realFolders = new Set<string>();
  const live = new Set<WatchedInput>(inputs);

  const report = (): void => {
    timer = undefined;
    if (closed || pending.size === 0 || running) return; // a burst during a run is reported when the run ends
    const files = [...pending].sort();
    pending.clear();
    running = Promise.resolve()
      .then(() => handlers.changed(files))
      .finally(() => {
        running = undefined;
        if (pending.size > 0 && timer === undefined) report();
      });
  };
  const noticed = (path: string): void => {
    if (closed) return;
    pending.add(relative(cwd, path) || path);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(report, QUIET_MS);
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    for (const { watcher } of folders.values()) watcher.close();
    folders.clear();
    endWatching();
  };
  const lose = (input: WatchedInput, reason: string): void => {
    if (!live.delete(input)) return;
    for (const [folder, watched] of folders) if (watched.input === input) forget(folder);
    handlers.failed(input.absolute, reason);
    if (live.size === 0) close();
  };

  /** Watches `folder` and the folders the compile searches under it, adding the YAML files in them to `found` (for a folder that just appeared). */
  const watchTree = (folder: string, input: WatchedInput, found: string[]): void => {
    let real: string;
    try {
      real = realpathSync(folder);
    } catch {
      return; // gone already: the compile says so
    }
    if (realFolders.has(real)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (event, name) => {
        if (name === null) return;
        const path = join(folder, String(name));
        if (isSkippedName(String(name))) return;
        if (isYamlName(String(name))) noticed(path);
        else if (event === "rename") folderChanged(path, input);
      });
    } catch (error) {
      if (folder === input.absolute) lose(input, describeIoError(error));
      else handlers.failed(folder, describeIoError(error));
      return;
    }
    watcher.on("error", (error) => {
      forget(folder);
      if (folder === input.absolute) lose(input, error.message);
      else handlers.failed(folder, error.message);
    });
    folders.set(folder, { watcher, input, real });
    realFolders.add(real);
    // Read after the watch is set: a file made in between is in the list, or its event comes, or both.
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return; // unreadable: the compile says so
    }
    for (const name of entries.sort()) {
      if (isSkippedName(name)) continue;
      const path = join(folder, name);
      if (isSearchedFolder(path)) watchTree(path, input, found);
      else if (isYamlName(name)) found.push(path);
    }
  };
  /** A name in a watched folder appeared or went: a folder the compile searches, or one it searched. */
  const folderChanged = (path: string, input: WatchedInput): void => {
    if (folders.has(path) && !existsSync(path)) {
      forgetTree(path);
      noticed(path); // its YAML files went with it
    } else if (!folders.has(path) && isSearchedFolder(path)) {
      const found: string[] = [];
      watchTree(path, input, found);
      for (const file of found) noticed(file); // written before its watch was set
    }
  };
  const forget = (folder: string): void => {
    const watched = folders.get(folder);
    if (!watched) return;
    watched.watcher.close();
    folders.delete(folder);
    realFolders.delete(watched.real);
  };
  const forgetTree = (folder: string): void => {
    for (const watched of [...folders.keys()]) if (watched === folder || watched.startsWith(folder + sep)) forget(watched);
  };

  for (const input of inputs) {
    if (input.isDirectory) {
      watchTree(input.absolute, input, []);
      const root = folders.get(input.absolute);
      // The folder itself removed: its watch sees its last event, and the folder is gone.
      root?.watcher.on("change", () => {
        if (!existsSync(input.absolute)) lose(input, "it no longer exists");
      });
      continue;
    }
    // A file is watched through its folder: editors often save by writing a new file and renaming it over the old one.
    const name = basename(input.absolute);
    let watcher: FSWatcher;
    try {
      watcher = watch(dirname(input.absolute), (_event, changed) => {
        if (changed !== null && String(changed) === name) noticed(input.absolute);
      });
    } catch (error) {
      lose(input, describeIoError(error));
      continue;
    }
    watcher.on("error", (error) => lose(input, error.message));
    folders.set(input.absolute, { watcher, input, real: input.absolute });
  }
  if (folders.size === 0) close();
  return { close, ended };
}
