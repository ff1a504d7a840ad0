/**
 * Every worked case of shared/validation/cases.yml and of more-validation-cases.yml,
 * more-validation-cases-2.yml to -38.yml beside this file: the assistant must compile (`ok`) or fail
 * with at least one error (`error`); `expect_rasa_3_12` wins where present, since flowc
 * follows Rasa 3.12, and `expect_flowc` over both where flowc refuses more on purpose. A case
 * may also name the `code` of an expected error, the `file:line:col` (`at`) an error points
 * at, and the code of a `warning` the compile must also report (an `ok` case then proves that
 * warning does not block), with the `file:line:col` it points at (`warning_at`), or the code of
 * one it must not report (`no_warning`, or a list of them). No diagnostic of any case may end at the start of a later line, as
 * a range over a node's line break does (diagnostic-ends.test.ts).
 */
import { describe, expect, it } from "vitest";
import { toJson } from "../../compiler/diagnostics/format.ts";
import { compileStrings } from "../support/compile.ts";
import { caseFiles, moreValidationCases, validationCases } from "../support/shared.ts";

const sources = [
  { title: "shared validation cases", cases: validationCases(), minimum: 50 },
  { title: "more validation cases", cases: moreValidationCases(), minimum: 30 },
  { title: "more validation cases, second round", cases: moreValidationCases("more-validation-cases-2.yml"), minimum: 40 },
  { title: "more validation cases, third round", cases: moreValidationCases("more-validation-cases-3.yml"), minimum: 25 },
  { title: "more validation cases, fourth round (Rasa's answers)", cases: moreValidationCases("more-validation-cases-4.yml"), minimum: 15 },
  { title: "more validation cases, fifth round (Rasa's answers)", cases: moreValidationCases("more-validation-cases-5.yml"), minimum: 30 },
  { title: "more validation cases, sixth round (Rasa's answers)", cases: moreValidationCases("more-validation-cases-6.yml"), minimum: 3 },
  { title: "more validation cases, seventh round (Rasa's answers)", cases: moreValidationCases("more-validation-cases-7.yml"), minimum: 3 },
  { title: "more validation cases, eighth round (variants of thinly covered rules)", cases: moreValidationCases("more-validation-cases-8.yml"), minimum: 100 },
  { title: "more validation cases, ninth round (variants of the remaining rules)", cases: moreValidationCases("more-validation-cases-9.yml"), minimum: 110 },
  { title: "more validation cases, tenth round (the default-id scheme of flows-format.md §c.2)", cases: moreValidationCases("more-validation-cases-10.yml"), minimum: 10 },
  { title: "more validation cases, eleventh round (what Rasa does not check, default patterns)", cases: moreValidationCases("more-validation-cases-11.yml"), minimum: 45 },
  { title: "more validation cases, twelfth round (flowc's own errors: loops that never ask, near misses of the others)", cases: moreValidationCases("more-validation-cases-12.yml"), minimum: 35 },
  { title: "more validation cases, thirteenth round (conditions' Jinja with the response subset's expressions)", cases: moreValidationCases("more-validation-cases-13.yml"), minimum: 4 },
  { title: "more validation cases, fourteenth round (rules in pattern overrides, called and linked flows, nested branches, second files)", cases: moreValidationCases("more-validation-cases-14.yml"), minimum: 60 },
  { title: "more validation cases, fifteenth round (action names that are Jinja templates)", cases: moreValidationCases("more-validation-cases-15.yml"), minimum: 5 },
  { title: "more validation cases, sixteenth round (loops that never ask, condition checks, slot and collect rules, and what each accepts)", cases: moreValidationCases("more-validation-cases-16.yml"), minimum: 45 },
  { title: "more validation cases, seventeenth round (shapes of public assistants: keys beside a branch's target, lines indented less than their node)", cases: moreValidationCases("more-validation-cases-17.yml"), minimum: 5 },
  { title: "more validation cases, eighteenth round (shapes of Rasa's own flows and tests: a categorical set member reported where it is, set_slots as a mapping once)", cases: moreValidationCases("more-validation-cases-18.yml"), minimum: 5 },
  { title: "more validation cases, nineteenth round (shapes of public starter packs and community assistants: conditions as people write them, newer Rasa's shapes, persistence and mappings)", cases: moreValidationCases("more-validation-cases-19.yml"), minimum: 8 },
  { title: "more validation cases, twentieth round (shapes of public comparison, government and trip-planning assistants: a loop back to a collect taken only while its slot is null)", cases: moreValidationCases("more-validation-cases-20.yml"), minimum: 6 },
  { title: "more validation cases, twenty-first round (shapes of public Chinese, Spanish, Vietnamese, German, hotel and voice assistants: steps without a type, slots only buttons fill)", cases: moreValidationCases("more-validation-cases-21.yml"), minimum: 8 },
  { title: "more validation cases, twenty-second round (the thinnest rules F1, F2, F3, L1, S1, S2, V2, D2, D4, D6 in pattern overrides, called and linked flows, second files, branches, anchors and merge keys, and what each accepts)", cases: moreValidationCases("more-validation-cases-22.yml"), minimum: 40 },
  { title: "more validation cases, twenty-third round (shapes of public Spanish, Dutch, French, Indonesian, shop and health assistants: merge conflict markers, action_listen steps, a collect asked again from its else)", cases: moreValidationCases("more-validation-cases-23.yml"), minimum: 6 },
  { title: "more validation cases, twenty-fourth round (loops a property-based fuzz found: a call of a flow that asks once and calls a flow that never asks)", cases: moreValidationCases("more-validation-cases-24.yml"), minimum: 1 },
  { title: "more validation cases, twenty-fifth round (shapes of public airline, emotion, Spanish restaurant and pharmacy, bookstore and retail assistants: a broken data file of another kind, a slot written the same way in two domain files, a flow's id)", cases: moreValidationCases("more-validation-cases-25.yml"), minimum: 6 },
  { title: "more validation cases, twenty-sixth round (shapes of public help-desk, university-support, B&B, bank, Spanish card-blocking and credit, baby-care and recipe assistants: a button payload's value in quotes, a branch after the responses that follow an action)", cases: moreValidationCases("more-validation-cases-26.yml"), minimum: 4 },
  { title: "more validation cases, twenty-seventh round (shapes of public bank, delivery-driver, concert, state-government, requirements-interview, CAD-drawing and Vietnamese debt-reminder assistants: a `then` naming another flow, a quoted text never closed, a sub-agent call, a collect's dtmf, a conditional response, a noop correction pattern)", cases: moreValidationCases("more-validation-cases-27.yml"), minimum: 8 },
  { title: "more validation cases, twenty-eighth round (a question no reply can answer, as a public state-government assistant asked it: a controlled slot asked before filling without buttons, and the shapes beside it that can be answered)", cases: moreValidationCases("more-validation-cases-28.yml"), minimum: 10 },
  { title: "more validation cases, twenty-ninth round (shapes of public personal-finance, travel-planner, sales-call, banking voice, airline, jewellery-shop and desktop voice assistants: persisted slots only a custom action sets, custom action_restart, links in branches, a `patterns:` file, action_listen branches, empty question texts)", cases: moreValidationCases("more-validation-cases-29.yml"), minimum: 6 },
  { title: "more validation cases, thirtieth round (slot mappings as Rasa checks them when it loads the domain: a type it knows, a from_entity mapping's entity, a from_intent or from_trigger_intent mapping's value)", cases: moreValidationCases("more-validation-cases-30.yml"), minimum: 4 },
  { title: "more validation cases, thirty-first round (shapes of public banking, tender-extension, French project-planning and PC-recommendation assistants: a loop back to a collect guarded by an `and` with its slot null, branches on the latest message through `context`)", cases: moreValidationCases("more-validation-cases-31.yml"), minimum: 2 },
  { title: "more validation cases, thirty-second round (shapes of public event-booking, IT help-desk, retail voice, Spanish card-blocking and career-adviser assistants: a loop through a resolving action that leaves the asked slot filled, an action listed twice, unquoted yes/no categorical values, a session-start override that links, a loop through a call whose question is skipped)", cases: moreValidationCases("more-validation-cases-32.yml"), minimum: 5 },
  { title: "more validation cases, thirty-third round (steps after a step that empties the dialogue stack, as a public meter-reading assistant had them after action_session_start: action_restart, action_clean_stack, pattern overrides, and the shapes that are not warned)", cases: moreValidationCases("more-validation-cases-33.yml"), minimum: 8 },
  { title: "more validation cases, thirty-fourth round (shapes of public Chinese e-commerce, HR, hybrid banking and sports-shop assistants: a copy of Rasa's collect pattern reading `slots.{{context.collect}}`, listening and correcting pattern overrides, button texts in branches, an nlu_trigger intent as a mapping)", cases: moreValidationCases("more-validation-cases-34.yml"), minimum: 4 },
  { title: "more validation cases, thirty-fifth round (overrides of Rasa's patterns as public assistants wrote them, and flows named like patterns that Rasa does not have: pattern_employer, pattern_handle_continue and a misspelt cancel pattern, warned FLW4107 at the id; a cancel pattern without action_cancel_flow, a correction pattern that does nothing, a completed pattern that listens, a cannot-handle pattern that asks and links, a pattern_ flow with an nlu_trigger, not warned; a bool question whose `else` goes back to it, accepted)", cases: moreValidationCases("more-validation-cases-35.yml"), minimum: 6 },
  { title: "more validation cases, thirty-sixth round (a Jinja response reading a `context` field no frame of Rasa 3.12 has, as a public Spanish ebook shop's did, and the reads of frame fields and format templates beside it)", cases: moreValidationCases("more-validation-cases-36.yml"), minimum: 2 },
  { title: "more validation cases, thirty-seventh round (a domain file's `version` as Rasa Pro 3.12 compares it with 3.1: no version number, lower and greater ones warned at the value, a greater one's file read as one file of a domain folder; 3.1 written as \"'3.1'\", \"v3.1\" and \"3.1.0\", an empty version and a flows file's version not warned; a file with both `flows:` and domain keys)", cases: moreValidationCases("more-validation-cases-37.yml"), minimum: 12 },
  { title: "more validation cases, thirty-eighth round (a button payload `/SetSlots(slot=value)` whose value the slot's type refuses, which Rasa accepts and answers at the collect step with the type's rejection: a categorical value outside the values, a bool Rasa cannot read, a float that is no number, warned FLW3114 at the value; not warned: a value in another case, `__other__`, `Yes`, `0`, ` 3 `, a placeholder, `none`, a quoted value)", cases: moreValidationCases("more-validation-cases-38.yml"), minimum: 8 },
];

for (const { title, cases, minimum } of sources) {
  describe(title, () => {
    it("has cases to run", () => {
      expect(cases.length).toBeGreaterThan(minimum);
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    });

    for (const testCase of cases) {
      const expected = testCase.expect_flowc ?? testCase.expect_rasa_3_12 ?? testCase.expect;
      it(`${testCase.name} (${testCase.rule}) is ${expected}`, () => {
        const result = compileStrings(caseFiles(testCase));
        const summary = result.errors.map((d) => `${d.code} ${d.message}`);
        if (expected === "ok") expect(summary).toEqual([]);
        else expect(summary.length).toBeGreaterThan(0);
        const errors = result.errors.map(toJson);
        if (testCase.code !== undefined) expect(errors.map((d) => d.code)).toContain(testCase.code);
        if (testCase.at !== undefined) expect(errors.map((d) => `${d.file}:${d.line}:${d.column}`)).toContain(testCase.at);
        if (testCase.warning !== undefined) expect(result.warnings.map((d) => d.code)).toContain(testCase.warning);
        if (testCase.warning_at !== undefined) expect(result.warnings.filter((d) => d.code === testCase.warning).map(toJson).map((d) => `${d.file}:${d.line}:${d.column}`)).toContain(testCase.warning_at);
        if (testCase.no_warning !== undefined) {
          const unwanted: readonly string[] = typeof testCase.no_warning === "string" ? [testCase.no_warning] : testCase.no_warning;
          expect(result.warnings.filter((d) => unwanted.includes(d.code)).map((d) => `${d.code} ${d.message}`)).toEqual([]);
        }
        const overLineBreaks = [...errors, ...result.warnings.map(toJson)].filter((d) => d.endColumn === 1 && d.endLine! > d.line!);
        expect(overLineBreaks.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual([]);
      });
    }
  });
}
