/**
 * An optional observer of the flow executor: told which steps run and which branch of a
 * conditional `next` is taken, so that `flowc test --coverage` can tell what the tests
 * exercised. Absent in applications; then the executor pays one property check per step.
 */
export interface ExecutionObserver {
  /** The executor moved a frame of `flowId` to `stepId` and runs that step. */
  step(flowId: string, stepId: string): void;
  /** The conditional `next` of `stepId` took branch `index` (the number of `if` branches: the `else`). */
  branch(flowId: string, stepId: string, index: number): void;
}
