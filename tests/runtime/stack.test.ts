/** The dialogue stack and its views (§b.1–§b.3). */
import { describe, expect, it } from "vitest";
import { currentContext, push, sequentialFrameIds, topFlowFrame, topUserFlowFrame, userFlowsOnStack, type Frame, type Stack } from "../../runtime/stack.ts";

const ids = sequentialFrameIds();
const flow = (flow_id: string, frame_type: "regular" | "interrupt" | "link" | "call" = "regular", step_id = "START"): Frame => ({ frame_id: ids(), type: "flow", flow_id, step_id, frame_type });
const pattern = (id: `pattern_${string}`, fields: Record<string, unknown> = {}): Frame => ({ frame_id: ids(), type: id, flow_id: id, step_id: "START", ...fields });

describe("stack", () => {
  it("pushes on top, just below the top, or at the bottom", () => {
    const a = flow("a");
    const b = flow("b");
    const c = flow("c");
    const stack: Stack = push(push([], a), b);
    expect(push(stack, c).map((f) => f.flow_id)).toEqual(["a", "b", "c"]);
    expect(push(stack, c, -1).map((f) => f.flow_id)).toEqual(["a", "c", "b"]);
    expect(push(stack, c, 0).map((f) => f.flow_id)).toEqual(["c", "a", "b"]);
    expect(stack.map((f) => f.flow_id)).toEqual(["a", "b"]); // unchanged
  });

  it("finds the current user flow of a called child in its parent", () => {
    const stack: Stack = [flow("transfer"), flow("add_recipient", "call"), pattern("pattern_collect_information", { collect: "iban" })];
    expect(topUserFlowFrame(stack)?.flow_id).toBe("transfer");
    expect(topUserFlowFrame(stack, { includeCallAndLink: true })?.flow_id).toBe("add_recipient");
    expect(topFlowFrame(stack)?.flow_id).toBe("transfer");
    expect(userFlowsOnStack(stack)).toEqual(["transfer", "add_recipient"]);
  });

  it("gives the collect pattern the context of the frame below, with its own fields", () => {
    const stack: Stack = [flow("transfer", "regular", "ask_amount"), pattern("pattern_collect_information", { collect: "amount", utter: "utter_ask_amount" })];
    expect(currentContext(stack)).toMatchObject({ flow_id: "transfer", step_id: "ask_amount", type: "flow", collect: "amount", utter: "utter_ask_amount" });
    expect(currentContext([])).toEqual({});
    expect(currentContext([pattern("pattern_collect_information", { collect: "x" })])).toMatchObject({ flow_id: "pattern_collect_information", collect: "x" });
    expect(currentContext([pattern("pattern_completed", { previous_flow_name: "transfer" })])).toMatchObject({ flow_id: "pattern_completed", previous_flow_name: "transfer" });
  });
});
