/**
 * The responses as a generated `responses.ts` writes them, and `defineResponses`, which spells
 * them out for the runtime. Most responses of an assistant are one plain text; the generated
 * form writes such a response as that string, leaves out the name (it is the key) and a
 * variation's empty `buttons`, because the response table, a few responses per flow of
 * hundreds of flows, was a good part of what importing an assistant parsed and built.
 */
import type { Button, Response, ResponseVariation, Mutable } from "./model.ts";

/** A variation: its text alone, or its fields with `buttons` absent when there are none. */
export type ResponseVariationSource = string | (Omit<ResponseVariation, "buttons"> & { readonly buttons?: readonly Button[] });

/** A response: the text of its one plain variation, or its variations. */
export type ResponseSource = string | readonly ResponseVariationSource[];

/** A variation with all its fields, in the order a literal of the full form has them; optional ones stay absent. */
function variationOf(source: ResponseVariationSource): ResponseVariation {
  if (typeof source === "string") return { text: source, buttons: [] };
  const variation = {} as Mutable<ResponseVariation>;
  if (source.text !== undefined) variation.text = source.text;
  variation.buttons = source.buttons ?? [];
  if (source.image !== undefined) variation.image = source.image;
  if (source.custom !== undefined) variation.custom = source.custom;
  if (source.channel !== undefined) variation.channel = source.channel;
  if (source.metadata !== undefined) variation.metadata = source.metadata;
  if (source.condition !== undefined) variation.condition = source.condition;
  if (source.jinja !== undefined) variation.jinja = source.jinja;
  return variation;
}

/** Every response with its name and its variations' fields. */
export function defineResponses<ResponseName extends string>(sources: { readonly [K in ResponseName]: ResponseSource }): { readonly [K in ResponseName]: Response } {
  const responses = {} as Record<string, Response>;
  const defined = sources as Readonly<Record<string, ResponseSource>>;
  for (const name of Object.keys(defined)) {
    const source = defined[name]!;
    responses[name] = { name, variations: typeof source === "string" ? [{ text: source, buttons: [] }] : source.map(variationOf) };
  }
  return responses as { readonly [K in ResponseName]: Response };
}
