/**
 * Prints the diagnostic catalogue as the Markdown table that README.md shows
 * (`npx tsx scripts/list-diagnostics.ts`). A test checks that the README lists every code.
 */
import { Diagnostics } from "../compiler/diagnostics/catalogue.ts";

const rows = Object.values(Diagnostics)
  .sort((a, b) => (a.code < b.code ? -1 : 1))
  .map((d) => `| ${d.code} | ${d.severity} | ${d.category} | ${d.rasa ?? "flowc"} | ${d.template.replace(/\|/g, "\\|")} |`);
process.stdout.write(["| code | severity | stage | Rasa rule | message |", "|---|---|---|---|---|", ...rows].join("\n") + "\n");
