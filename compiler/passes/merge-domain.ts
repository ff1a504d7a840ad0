/**
 * Stage 3: merge the domain files into one domain, as Rasa merges a domain directory, and add
 * the default patterns' responses and slots underneath (the user's definition wins a clash).
 * Rasa keeps whichever of two same-named slots, responses or forms it loaded first and only
 * warns; flowc makes that an error because the winner depends on file order.
 *
 * Form names join the actions, as in Rasa.
 *
 * Rejects, for example: `actions: [check_funds, check_funds]` (FLW2012), or the slot `amount`
 * defined in both domain/bank.yml and domain/shop.yml (FLW2013).
 */
import type { DiagnosticBag } from "../diagnostics/diagnostic.ts";
import type { ActionInput, DomainPartInput, Named, ResponseInput, SlotInput } from "../model/input.ts";
import { DEFAULT_ACTIONS, type DomainIR } from "../model/ir.ts";
import type { SourceRange } from "../source/source-file.ts";

export function mergeDomain(userParts: readonly DomainPartInput[], defaultParts: readonly DomainPartInput[], diagnostics: DiagnosticBag): DomainIR {
  const slots = new Map<string, SlotInput>();
  const responses = new Map<string, ResponseInput>();
  const actions = new Map<string, ActionInput>();
  const intents = new Map<string, Named>();
  const forms = new Map<string, Named>();

  for (const part of userParts) {
    uniqueWithinFile(part.actions.map((a) => ({ name: a.name, range: a.range })), "actions", diagnostics);
    uniqueWithinFile(part.intents, "intents", diagnostics);
    uniqueWithinFile(part.entities, "entities", diagnostics);
    for (const slot of part.slots) addUnique(slots, slot.name, slot, slot.nameRange, "slot", diagnostics, (s) => s.nameRange);
    for (const response of part.responses) addUnique(responses, response.name, response, response.nameRange, "response", diagnostics, (r) => r.nameRange);
    for (const form of part.forms) addUnique(forms, form.name, form, form.range, "form", diagnostics, (f) => f.range);
    for (const action of part.actions) if (!actions.has(action.name)) actions.set(action.name, action);
    for (const intent of part.intents) if (!intents.has(intent.name)) intents.set(intent.name, intent);
  }
  // A form's name is an action (Rasa lists forms among the domain's actions). A form that is not
  // also listed under `actions` but is named like a default action or a response makes Rasa's
  // action list hold that name twice, which Rasa refuses (D1).
  const customActions = new Set(actions.keys());
  for (const part of userParts) {
    for (const form of part.forms) {
      if (customActions.has(form.name)) continue;
      if (DEFAULT_ACTIONS.includes(form.name) || responses.has(form.name)) {
        diagnostics.report("duplicateDomainListItem", { name: form.name, key: "actions (as a form and as a default action or response)" }, { range: form.range });
      }
      if (!actions.has(form.name)) actions.set(form.name, { name: form.name, range: form.range, sendDomain: false });
    }
  }
  uniqueVariationIds(responses, diagnostics);
  for (const part of defaultParts) {
    for (const slot of part.slots) if (!slots.has(slot.name)) slots.set(slot.name, slot);
    for (const response of part.responses) if (!responses.has(response.name)) responses.set(response.name, response);
    for (const action of part.actions) if (!actions.has(action.name)) actions.set(action.name, action);
  }
  const isEmpty = userParts.every(
    (part) => !part.hasOwnSettings && part.slots.length + part.responses.length + part.actions.length + part.intents.length + part.entities.length + part.forms.length === 0,
  );
  const carryOverSlots = !userParts.some((part) => part.carriesNoSlotsOver);
  return { slots, responses, actions, intents, isEmpty, carryOverSlots };
}

/** Rasa refuses a response variation `id` used twice anywhere in the domain. */
function uniqueVariationIds(responses: ReadonlyMap<string, ResponseInput>, diagnostics: DiagnosticBag): void {
  const seen = new Set<string>();
  for (const response of responses.values()) {
    for (const variation of response.variations) {
      if (variation.id === undefined) continue;
      if (seen.has(variation.id)) diagnostics.report("duplicateDomainListItem", { name: variation.id, key: "response variation ids" }, { range: variation.range });
      seen.add(variation.id);
    }
  }
}

function uniqueWithinFile(items: readonly Named[], key: string, diagnostics: DiagnosticBag): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.name)) diagnostics.report("duplicateDomainListItem", { name: item.name, key }, { range: item.range });
    seen.add(item.name);
  }
}

function addUnique<T>(
  map: Map<string, T>,
  name: string,
  value: T,
  range: SourceRange,
  kind: string,
  diagnostics: DiagnosticBag,
  rangeOf: (existing: T) => SourceRange,
): void {
  const existing = map.get(name);
  if (existing === undefined) {
    map.set(name, value);
    return;
  }
  const other = rangeOf(existing);
  const where = other.file.position(other.start);
  diagnostics.report("duplicateDomainDefinition", { kind, name, other: `${other.file.path}:${where.line}` }, { range });
}
