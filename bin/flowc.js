#!/usr/bin/env node
// The `flowc` command. The compiler is written in TypeScript and run through tsx's loader,
// so that there is no separate build step between a checkout and a working CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../compiler/cli.ts");
process.exitCode = await main(process.argv.slice(2));
