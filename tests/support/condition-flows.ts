/**
 * Flows of one condition, for the compiler's condition tests: the condition as a branch after a
 * collect step, or as that step's rejection. The condition is on line 8 of the text, after
 * `          - if: "` (its first character at column 18). The domain needs a slot `age`
 * and the responses `utter_ask_age`, `utter_adult` and `utter_rejected`.
 */

/** `condition` as the first branch after `collect: age`. */
export function branch(condition: string): string {
  return `
flows:
  check:
    description: Checks the age.
    steps:
      - collect: age
        next:
          - if: ${JSON.stringify(condition)}
            then: adult
          - else: END
      - id: adult
        action: utter_adult
`;
}

/** `condition` as the rejection of `collect: age`. */
export function rejection(condition: string): string {
  return `
flows:
  check:
    description: Checks the age.
    steps:
      - collect: age
        rejections:
          - if: ${JSON.stringify(condition)}
            utter: utter_rejected
`;
}
