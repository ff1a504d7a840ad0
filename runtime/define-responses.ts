/**
 * The responses as a generated `responses.ts` writes them, and `defineResponses`, which spells
 * them out for the runtime. Most responses of an assistant are one plain text; the generated
 * form writes such a response as that string, leaves out the name (it is the key) and a
 * variation's empty `buttons`, because the response table, a few responses per flow of
 * hundreds of flows, was a good part of what importing an assistant parsed and built.
 *
 * A conversation sends a few of those responses, and the rest are only looked up by name: a
 * response's variations are spelled out when first read (see {@link DefinedResponse}), and the
 * table object of the generated module becomes the response table itself. Building them all
 * at import (four objects per response, and a second table of a thousand keys) was most of the
 * young-generation allocation of importing a 200-flow assistant, which cost it a scavenge.
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
  if (source.quick_replies !== undefined) variation.quick_replies = source.quick_replies;
  if (source.attachment !== undefined) variation.attachment = source.attachment;
  if (source.elements !== undefined) variation.elements = source.elements;
  if (source.channel !== undefined) variation.channel = source.channel;
  if (source.metadata !== undefined) variation.metadata = source.metadata;
  if (source.condition !== undefined) variation.condition = source.condition;
  if (source.jinja !== undefined) variation.jinja = source.jinja;
  return variation;
}

/**
 * A response: its name, and its variations with all their fields, spelled out from the source
 * the first time they are read (then always the same array). One class for every response, so
 * that reading `variations` stays a monomorphic property access.
 */
class DefinedResponse implements Response {
  readonly name: string;
  readonly #source: ResponseSource;
  #variations: readonly ResponseVariation[] | undefined;

  constructor(name: string, source: ResponseSource) {
    this.name = name;
    this.#source = source;
    this.#variations = undefined;
  }

  get variations(): readonly ResponseVariation[] {
    if (this.#variations === undefined) {
      const source = this.#source;
      this.#variations = typeof source === "string" ? [{ text: source, buttons: [] }] : source.map(variationOf);
    }
    return this.#variations;
  }
}

/**
 * Every response with its name and its variations' fields. The table it is given — the
 * generated module's own literal — becomes the response table: each source in it is replaced
 * by its response, in place.
 */
export function defineResponses<ResponseName extends string>(sources: { [K in ResponseName]: ResponseSource }): { readonly [K in ResponseName]: Response } {
  const table = sources as Record<string, ResponseSource | Response>;
  for (const name in table) {
    if (Object.hasOwn(table, name)) table[name] = new DefinedResponse(name, table[name] as ResponseSource);
  }
  return table as { readonly [K in ResponseName]: Response };
}
