import type { Language } from './languages';
import { ar } from './catalogue/ar';
import { de } from './catalogue/de';
import { en } from './catalogue/en';
import { fr } from './catalogue/fr';
import { ru } from './catalogue/ru';
import { tr } from './catalogue/tr';

/**
 * Every user-facing message, in every supported language: one catalogue a language in ./catalogue. English is the
 * reference shape: the other languages are typed against it, so a message missing from one of them fails the
 * type-check. Placeholders are `{name}` and are filled from the error's arguments.
 */

/** Every language has English's keys, each a string (English keeps its literal texts for the placeholder types). */
type Catalogue<T> = { readonly [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type Messages = Catalogue<typeof en>;

export const MESSAGES: Readonly<Record<Language, Messages>> = { tr, en, ar, ru, de, fr };

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A dotted key of a message, such as `errors.not_found`; checked at compile time. */
export type MessageKey = Leaves<Messages>;

type At<T, K extends string> = K extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : K extends keyof T
    ? T[K]
    : never;

/** As the translator's `{name}` pattern: braces around anything but a word (JSON in a hint) are text. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}`
  ? (Name extends `${string}${' ' | '"' | '{' | ':' | ','}${string}` ? never : Name) | Placeholders<Rest>
  : never;

/** The `{name}` placeholders of a message, read from its English text at compile time. */
export type PlaceholderOf<K extends MessageKey> = Placeholders<At<typeof en, K>>;

/** The arguments a message needs: one per placeholder, none for a message without any. */
export type MessageArgsOf<K extends MessageKey> = { readonly [P in PlaceholderOf<K>]: string | number };

/** Rest parameters of a call that takes a key and its arguments: a missing argument does not compile. */
export type MessageArgsParam<K extends MessageKey> = [PlaceholderOf<K>] extends [never] ? [] : [args: MessageArgsOf<K>];

/** The keys of messages without placeholders. */
export type PlainMessageKey = { [K in MessageKey]: [PlaceholderOf<K>] extends [never] ? K : never }[MessageKey];
