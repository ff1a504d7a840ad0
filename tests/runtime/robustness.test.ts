/**
 * Random conversations and random corruptions of saved states on the example assistant: the
 * runtime answers every message without throwing, and every state it hands out loads back as
 * itself; a corrupt state is refused with a StateError or, when it still makes sense, runs.
 * Command lines come from every form the DSL knows, also for names the assistant lacks and for
 * names every JavaScript object answers (`constructor`, `__proto__`), and custom actions that
 * throw, return promises, unknown slots or the wrong shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadAssistant } from "../../compiler/e2e/load-assistant.ts";
import type { CustomActionMap } from "../../runtime/assistant.ts";
import { sequentialFrameIds } from "../../runtime/stack.ts";
import type { ConversationState } from "../../runtime/state.ts";

const loaded = await loadAssistant(["flows"], process.cwd());
const compiled = loaded.compiled!;
const OBJECT_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty"];
const flowIds = [...Object.keys(compiled.flows), ...OBJECT_NAMES, "no_such_flow"];
const slotNames = [...Object.keys(compiled.slots), ...OBJECT_NAMES, "no_such_slot"];
const values = fc.constantFrom("John", "50", "50.5", "-3", "true", "false", "null", "None", "credit", '"quoted text"', "[1, 2]", "{}", "0", "1e3", "", "é😀", "__proto__");

const line = fc.oneof(
  fc.constantFrom(...flowIds).map((id) => `start flow ${id}`),
  fc.tuple(fc.constantFrom(...slotNames), values).map(([slot, value]) => `set slot ${slot} ${value}`),
  fc.tuple(fc.constantFrom(...slotNames), values).map(([slot, value]) => `/SetSlots(${slot}=${value})`),
  fc.tuple(fc.constantFrom(...flowIds), fc.constantFrom(...flowIds)).map(([a, b]) => `disambiguate flows ${a} ${b}`),
  fc.constantFrom("cancel flow", "offtopic reply", "skip question", "repeat message", "hand over", "provide info", "cannot handle", "<error>", "nonsense"),
  fc.tuple(fc.constantFrom(...slotNames), values).map(([slot, value]) => `SetSlot(${slot}, ${value})`),
);

/** Custom actions that do what the `behaviour` numbers say, turn by turn (wrapping around). */
function actions(behaviour: readonly number[]): CustomActionMap {
  let next = 0;
  const act = () => {
    const kind = behaviour.length === 0 ? 0 : behaviour[next++ % behaviour.length]!;
    switch (kind) {
      case 1:
        throw new Error("the action failed");
      case 2:
        return Promise.resolve({ slots: { has_sufficient_funds: true } });
      case 3:
        return { slots: { no_such_slot: 1 } };
      case 4:
        return 42 as never;
      case 5:
        return { slots: { recipient_known: true }, messages: [{ text: "checked" }] };
      default:
        return undefined;
    }
  };
  return Object.fromEntries(compiled.customActions.map((name) => [name, act]));
}

function roundTrips(bot: ReturnType<NonNullable<typeof loaded.create>>, state: ConversationState): ConversationState {
  const text = JSON.stringify(state);
  const back = bot.loadState(text);
  expect(JSON.stringify(back)).toBe(text);
  return back;
}

describe("the runtime on random input", () => {
  it("answers every message of random conversations and hands out states that load back", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(line, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }), async (turns, behaviour) => {
        const bot = loaded.create!({ frameIds: sequentialFrameIds(), random: () => 0, actions: actions(behaviour) });
        let state = bot.initialState();
        for (const lines of turns) {
          const turn = await bot.handle(state, bot.parseCommands(state, lines));
          expect(turn.actions.at(-1)).toBe("action_listen");
          for (const name of OBJECT_NAMES) expect(Object.hasOwn(turn.state.slots, name)).toBe(false);
          state = roundTrips(bot, turn.state);
        }
      }),
      { numRuns: 150, seed: 20261121 },
    );
  });

  it("refuses a corrupt saved state with a StateError, or runs its next turn", async () => {
    const bot = loaded.create!({ frameIds: sequentialFrameIds(), random: () => 0 });
    const saved: ConversationState[] = [];
    let state = bot.initialState();
    for (const lines of [["start flow transfer_money"], ["set slot recipient John"], ["start flow check_balance"], ["set slot amount 50"]]) {
      state = (await bot.handle(state, bot.parseCommands(state, lines))).state;
      saved.push(JSON.parse(JSON.stringify(state)) as ConversationState);
    }
    const weird = fc.constantFrom<unknown>(null, 0, -1, 1.5, "", "x", "START", "END", true, [], {}, [null], { a: 1 }, "pattern_collect_information", "transfer_money", ...OBJECT_NAMES);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...saved), fc.array(fc.tuple(fc.nat(), fc.nat(2), weird), { minLength: 1, maxLength: 2 }), async (base, edits) => {
        const corrupt = JSON.parse(JSON.stringify(base)) as unknown;
        for (const [at, how, value] of edits) corrupt !== null && edit(corrupt, at, how, value);
        let loadedState: ConversationState;
        try {
          loadedState = bot.loadState(JSON.stringify(corrupt));
        } catch (error) {
          expect((error as Error).name).toBe("StateError");
          return;
        }
        const turn = await bot.handle(loadedState, bot.parseCommands(loadedState, ["cancel flow"]));
        roundTrips(bot, turn.state);
      }),
      { numRuns: 400, seed: 20261121 },
    );
  });
});

/** Changes one value of `root` (the `at`-th of its nested values): deletes it, or replaces it with `value`. */
function edit(root: unknown, at: number, how: number, value: unknown): void {
  const places: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    for (const key of Object.keys(node)) {
      const index = Array.isArray(node) ? Number(key) : key;
      places.push([node as Record<string, unknown>, index]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(root);
  if (places.length === 0) return;
  const [parent, key] = places[at % places.length]!;
  if (how === 0) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else (parent as Record<string | number, unknown>)[key] = structuredClone(value);
}
