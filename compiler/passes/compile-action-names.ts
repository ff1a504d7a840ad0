/**
 * Compiles the Jinja templates of action names at build time. Rasa renders the name of every
 * action step as a Jinja template with `{"context": …}` (runtime-semantics.md §b.4) and runs
 * the rendered name when the domain knows it. The runtime fills bare `{{ context.<field> }}`
 * holes itself (runtime/plan.ts); a name with any other Jinja (`utter_{{context.flow_id|upper}}`,
 * `{{context.flow_id ~ '_x'}}`, `{% if %}`) is parsed here, once, with the response templates'
 * parser, and the code generator writes it out as a function of the frame's context in the
 * flow's module, so nothing parses a name at run time. What the response templates' subset does
 * not compile is an error pointing at the construct inside the name, as in responses (FLW1063
 * where Jinja itself refuses the template, FLW1064 for Jinja flowc does not compile; `random`
 * has no random source here).
 *
 * Rejected, for example:  - action: "utter_{{context.flow_id | pprint}}"   (FLW1064: filter `pprint`)
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ActionStepInput } from "../model/input.ts";
import type { FlowIR } from "../model/ir.ts";
import { valueSpanRange } from "../source/scalar-offsets.ts";
import { templateCode, type FreeNameCode, type TemplateCode } from "../templates/jinja-to-typescript.ts";
import { ALL_STATEMENTS, TemplateError, type ParseOptions } from "../templates/jinja-syntax.ts";
import { parseTemplate } from "../templates/parse-jinja-template.ts";
import { rendersWithoutTemplate } from "../../runtime/action-names.ts";

export interface CompiledActionName {
  /** The name as written. */
  readonly source: string;
  readonly code: TemplateCode;
}

/** Where action names are parsed: every statement, no `random` (a name has no random source to draw from). */
const ACTION_NAMES: ParseOptions = { where: "action names", statements: ALL_STATEMENTS, recursiveLoops: true };

/** How a name's code reads a name: `context` from the function's parameter, any other as Jinja's undefined value. */
export const actionNameReads: FreeNameCode = (name) => (name === "context" ? "context" : `$t.undefinedName(${JSON.stringify(name)})`);

/** The compiled template of every action step whose name needs more Jinja than bare holes, by step. */
export function compileActionNames(flows: readonly FlowIR[], diagnostics: DiagnosticBag): Map<ActionStepInput, CompiledActionName> {
  const out = new Map<ActionStepInput, CompiledActionName>();
  for (const flow of flows) {
    for (const step of flow.steps) {
      const input = step.input;
      if (input.kind !== "action" || out.has(input) || rendersWithoutTemplate(input.action)) continue;
      const name = input.action;
      try {
        out.set(input, { source: name, code: templateCode(parseTemplate(name, ACTION_NAMES), actionNameReads) });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        const source = input.actionSource;
        const range = source ? valueSpanRange(source.range, source.node, name, { start: error.start, end: error.end }) : input.headRange;
        diagnostics.report(error.kind === "syntax" ? "actionTemplateSyntax" : "actionTemplateUnsupported", { action: name, reason: error.message }, { range, flow: flow.id, step: step.id });
      }
    }
  }
  return out;
}
