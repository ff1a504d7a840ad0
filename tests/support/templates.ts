/**
 * Jinja response templates compiled and run in process, for the template tests: the generated
 * body (TypeScript without type annotations, so it runs as JavaScript) called with the runtime's
 * template helpers, and the compile-time refusal of a template flowc does not render.
 */
import { templateCode } from "../../compiler/templates/jinja-to-typescript.ts";
import { TemplateError } from "../../compiler/templates/jinja-syntax.ts";
import { parseTemplate } from "../../compiler/templates/parse-jinja-template.ts";
import * as templates from "../../runtime/templates.ts";

/** Compiles `template` and runs the generated body with `variables`. */
export function render(template: string, variables: templates.TemplateVariables = {}): string {
  const body = templateCode(parseTemplate(template)).lines.join("\n");
  const fn = new Function("$t", "v", body) as (t: typeof templates, v: templates.TemplateVariables) => string;
  return fn(templates, variables);
}

/** Variables as a response sees them, where the names in `floats` hold a Python float (a float slot's value). */
export function withFloats(values: Record<string, unknown>, floats: readonly string[]): templates.VariableScope {
  return new (class extends templates.VariableScope {
    has(name: string): boolean {
      return Object.hasOwn(values, name);
    }
    get(name: string): unknown {
      return values[name];
    }
    override isFloat(name: string): boolean {
      return floats.includes(name);
    }
  })();
}

/** The error that refuses `template` at compile time (fails when it is accepted). */
export function refused(template: string): TemplateError {
  try {
    parseTemplate(template);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`${template} was accepted`);
}
