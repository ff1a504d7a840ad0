/**
 * Stage 1: find the YAML files under the given paths, read them and parse them as YAML 1.2
 * with positions. A file contributes flows when it has a top-level `flows` key and domain when
 * it has a domain key; a file with neither (NLU data, stories, config) is skipped.
 *
 * Rejects, for example:
 *   flows:
 *     greet: {description: Hi, steps: [ {action: utter_greet} ]
 *   (unterminated flow mapping → FLW1001) and a mapping with the same key twice (FLW1002); a file
 *   holding Git's conflict markers (`<<<<<<< HEAD` … `>>>>>>> main`) is named as such (FLW1007).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import type { YamlError } from "../source/yaml-nodes.ts";
import { parseYaml } from "../source/yaml-parse.ts";
import { DEFAULT_LIMITS, YamlTree, type ConversionProblem } from "../source/yaml-tree.ts";

export const DOMAIN_KEYS = [
  "slots",
  "responses",
  "actions",
  "intents",
  "entities",
  "forms",
  "session_config",
  "config",
  "e2e_actions",
] as const;

export interface LoadedFile {
  readonly file: SourceFile;
  readonly tree: YamlTree;
  readonly hasFlows: boolean;
  readonly hasDomain: boolean;
}

export interface InputText {
  /** Path shown to the user. */
  readonly path: string;
  readonly text: string;
}

export interface LoadOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether a file with these top-level keys takes part (absent: every file). A file that does
   * not is skipped without its conversion problems (an unset `${VAR}` of endpoints.yml, …).
   */
  readonly takesPart?: (keys: readonly string[]) => boolean;
  /** Base directory that displayed paths are made relative to. */
  readonly cwd?: string;
}

/**
 * Lists `*.yml` / `*.yaml` files (in that case only, as Rasa's suffix check) under the paths,
 * recursively, in a stable order. A folder is read once, however many links lead to it: a link
 * to a folder above it would otherwise be followed until paths grew too long, and its files
 * counted again at each level. Hidden folders, `node_modules` and Python virtual environments
 * (a folder with a `pyvenv.cfg`, such as a Rasa project's `venv/`, whose installed Rasa holds
 * flows and domains of its own) are not searched.
 */
export function findYamlFiles(paths: readonly string[], diagnostics: DiagnosticBag, cwd: string): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(cwd, path); // `join` would put an absolute path under `cwd`
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch (error) {
      diagnostics.report("cannotRead", { path, reason: describeIoError(error) });
      continue;
    }
    if (isDirectory) walk(absolute, found, diagnostics, cwd, visited);
    else found.push(absolute);
  }
  return [...new Set(found)];
}

function walk(directory: string, found: string[], diagnostics: DiagnosticBag, cwd: string, visited: Set<string>): void {
  let names: string[];
  try {
    const real = realpathSync(directory);
    if (visited.has(real)) return;
    visited.add(real);
    names = readdirSync(directory).sort();
  } catch (error) {
    diagnostics.report("cannotRead", { path: relative(cwd, directory) || ".", reason: describeIoError(error) });
    return;
  }
  for (const name of names) {
    if (isSkippedName(name)) continue;
    const path = join(directory, name);
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDirectory) {
      if (!isVirtualEnvironment(path)) walk(path, found, diagnostics, cwd, visited);
    }
    else if (isYamlName(name)) found.push(path);
  }
}

/** A Python virtual environment (a folder with a `pyvenv.cfg`), which the search does not go into. */
function isVirtualEnvironment(folder: string): boolean {
  return existsSync(join(folder, "pyvenv.cfg"));
}

/** Whether the search goes into `path` when it finds it in a folder: a folder, not a virtual environment (the name aside, see {@link isSkippedName}). */
export function isSearchedFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory() && !isVirtualEnvironment(path);
  } catch {
    return false;
  }
}

/** A name the search skips, of a folder or a file: a hidden one, or `node_modules`. */
export function isSkippedName(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** A file name the search takes: `*.yml` or `*.yaml`, in that case only (Rasa's suffix check). */
export function isYamlName(name: string): boolean {
  return /\.ya?ml$/.test(name);
}

export function readInputs(files: readonly string[], diagnostics: DiagnosticBag, cwd: string): InputText[] {
  const inputs: InputText[] = [];
  for (const absolute of files) {
    const path = displayPath(absolute, cwd);
    try {
      const text = readFileSync(absolute, "utf8");
      inputs.push({ path, text });
    } catch (error) {
      diagnostics.report("cannotRead", { path, reason: describeIoError(error) });
    }
  }
  return inputs;
}

export function parseYamlFiles(inputs: readonly InputText[], diagnostics: DiagnosticBag, options: LoadOptions = {}): LoadedFile[] {
  const loaded: LoadedFile[] = [];
  for (const input of inputs) {
    const result = parseYamlFile(input, diagnostics, options);
    if (result) loaded.push(result);
  }
  return loaded;
}

function parseYamlFile(input: InputText, diagnostics: DiagnosticBag, options: LoadOptions): LoadedFile | undefined {
  const file = new SourceFile(input.path, input.text);
  const unprintable = firstUnprintable(input.text);
  if (unprintable !== undefined) {
    if (skips(options, keysOfLines(input.text))) return skipped(file, options);
    const code = input.text.codePointAt(unprintable)!;
    diagnostics.report("yamlSyntax", { reason: `the character U+${code.toString(16).toUpperCase().padStart(4, "0")} is not allowed in YAML` }, { range: { file, start: unprintable, end: unprintable + 1 } });
    return undefined;
  }
  // js-yaml stops at the first syntax error; duplicate keys are all reported.
  const parsed = parseYaml(input.text, { maxDepth: DEFAULT_LIMITS.maxDepth });
  if (parsed.errors.length > 0) {
    // A file that is not part of the assistant is skipped whatever its values hold (as with the
    // tree's problems below). When the parse stopped before the document's keys were known,
    // they are read off its lines, as Rasa tells a flows or NLU file from others.
    if (skips(options, parsed.keys ?? keysOfLines(input.text))) return skipped(file, options);
    reportLenient(file, parsed.lenient, diagnostics);
    for (const error of parsed.errors) reportYamlError(file, error, diagnostics);
    return undefined;
  }
  const tree = new YamlTree(file, parsed.root, options.env ?? process.env, DEFAULT_LIMITS, parsed.values);
  const root = tree.root;
  const keys = root !== null && typeof root === "object" && !Array.isArray(root) ? Object.keys(root) : undefined;
  // Lines Rasa's reader takes though the YAML spec refuses them matter only in a file that takes part.
  if (!skips(options, keys)) reportLenient(file, parsed.lenient, diagnostics);
  if (tree.problems.length > 0) {
    if (skips(options, keys)) return { file, tree, hasFlows: false, hasDomain: false };
    for (const problem of tree.problems) reportConversionProblem(tree, problem, diagnostics);
    return undefined;
  }
  if (keys === undefined) return { file, tree, hasFlows: false, hasDomain: false };
  return { file, tree, hasFlows: keys.includes("flows"), hasDomain: hasDomainKeys(keys) };
}

function skipped(file: SourceFile, options: LoadOptions): LoadedFile {
  return { file, tree: new YamlTree(file, null, options.env ?? process.env, DEFAULT_LIMITS, undefined), hasFlows: false, hasDomain: false };
}

function reportLenient(file: SourceFile, lines: readonly YamlError[] | undefined, diagnostics: DiagnosticBag): void {
  for (const line of lines ?? []) {
    diagnostics.report("lenientIndentation", { reason: line.message }, { range: { file, start: line.start, end: Math.max(line.end, line.start + 1) } });
  }
}

/**
 * The keys of a file that is no YAML, as Rasa's file-kind check sees them: it reads a data file
 * as flows only when a line, its indentation stripped, starts with `flows:`
 * (rasa.shared.utils.io.is_key_in_yaml; the same for NLU's `nlu:` and `responses:`, stories'
 * `stories:` and `rules:`), and leaves any other file unread. So every word before a colon at
 * the start of a line counts, at any depth: a file that names no key of the assistant anywhere
 * is skipped, one that does is refused as Rasa refuses it.
 */
function keysOfLines(text: string): string[] {
  const keys = new Set<string>();
  for (const match of text.matchAll(/^\s*([^\s:#'"]+):/gm)) keys.add(match[1]!);
  return [...keys];
}

/** Whether a file whose top-level keys are known takes no part ({@link LoadOptions.takesPart}). */
function skips(options: LoadOptions, keys: readonly string[] | undefined): boolean {
  return keys !== undefined && options.takesPart?.(keys) === false;
}

/** Whether a file with these top-level keys is part of an assistant: it has flows or domain. */
export function isAssistantFile(keys: readonly string[]): boolean {
  return keys.includes("flows") || hasDomainKeys(keys);
}

function hasDomainKeys(keys: readonly string[]): boolean {
  return keys.some((key) => (DOMAIN_KEYS as readonly string[]).includes(key));
}

/**
 * YAML 1.2 allows only printable characters (tab, line breaks, U+0020–U+007E, U+0085,
 * U+00A0–U+D7FF, U+E000–U+FFFD and the astral planes); Rasa's reader refuses the others.
 * A byte-order mark at the very start is fine.
 */
function firstUnprintable(text: string): number | undefined {
  const match = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return match?.index;
}

function reportYamlError(file: SourceFile, error: YamlError, diagnostics: DiagnosticBag): void {
  // At least one character wide, but not over a line break: an error at the end of a line
  // (after an alias to no anchor, `steps: *missing`) ends where it starts, on its line.
  const atLineEnd = error.start >= file.text.length || file.text[error.start] === "\n" || file.text[error.start] === "\r";
  const range = { file, start: error.start, end: atLineEnd && error.end <= error.start + 1 ? error.start : Math.max(error.end, error.start + 1) };
  switch (error.kind) {
    case "too-deep":
      diagnostics.report("tooDeep", { limit: String(DEFAULT_LIMITS.maxDepth) }, { range });
      return;
    case "duplicate-key":
      diagnostics.report("duplicateKey", { key: error.message || "?" }, { range });
      return;
    case "syntax": {
      const marker = conflictMarker(file.text);
      if (marker !== undefined && marker.index <= error.start) {
        const line = marker[0];
        diagnostics.report("mergeConflict", { marker: line }, {
          range: { file, start: marker.index, end: marker.index + line.length },
          suggestion: "keep the lines you want from each side and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines",
        });
        return;
      }
      diagnostics.report("yamlSyntax", { reason: error.message }, { range });
      return;
    }
  }
}

/**
 * The first line Git writes around a conflict it could not resolve (`<<<<<<< HEAD`, `|||||||
 * base`, `=======`, `>>>>>>> branch`, each at the start of a line). Such a file is no YAML; when
 * its parse fails at or after the marker, the marker is what to report.
 */
function conflictMarker(text: string): RegExpExecArray | undefined {
  return /^(?:<{7}|\|{7}|>{7})(?: [^\r\n]*)?$|^={7}$/m.exec(text) ?? undefined;
}

function reportConversionProblem(tree: YamlTree, problem: ConversionProblem, diagnostics: DiagnosticBag): void {
  const range = tree.nodeRange(problem.node) ?? { file: tree.file, start: 0, end: 0 };
  switch (problem.kind) {
    case "alias-bomb":
      diagnostics.report("aliasBomb", { limit: problem.detail }, { range });
      return;
    case "too-deep":
      diagnostics.report("tooDeep", { limit: problem.detail }, { range });
      return;
    case "undefined-env":
      diagnostics.report("undefinedEnvVar", { name: problem.detail, text: problem.text ?? "" }, { range });
      return;
    case "bad-merge":
      diagnostics.report("yamlSyntax", { reason: problem.detail }, { range });
      return;
  }
}

export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel.startsWith("..") || rel === "" ? absolute : rel;
}

export function describeIoError(error: unknown): string {
  if (error && typeof error === "object" && "code" in error) {
    const code = String((error as { code: unknown }).code);
    if (code === "ENOENT") return "no such file or directory";
    if (code === "EACCES") return "permission denied";
    if (code === "EISDIR") return "is a directory";
    return code;
  }
  return error instanceof Error ? error.message : String(error);
}
