import { Global, Injectable, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SUPPORTED_LANGUAGES, type Language, resolveLanguage } from './languages';
import { MESSAGES, type MessageKey } from './messages';

export type MessageArgs = Readonly<Record<string, string | number>>;

/** Each language's messages by dotted key (`errors.not_found`), flattened once at start-up. */
const CATALOGUES: ReadonlyMap<Language, ReadonlyMap<string, string>> = new Map(
  SUPPORTED_LANGUAGES.map((language) => [language, flatten(MESSAGES[language])]),
);

function flatten(tree: object, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') into.set(`${prefix}${key}`, value);
    else flatten(value as object, `${prefix}${key}.`, into);
  }
  return into;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The messages of `messages.ts` in the language a request asked for. Keys are checked at compile time and every
 * language has every key (a type-check and `languages.spec.ts` make sure), so a lookup falls back to the default
 * language and then to the key only if that promise is broken. `{name}` placeholders take the arguments; one
 * without an argument stays as written.
 *
 * Deliberately not an i18n framework (nestjs-i18n at first; see docs/adr/0008): the messages are compiled in,
 * every call names its language, and there are no plurals or nested references to resolve.
 */
@Injectable()
export class Translator {
  constructor(private readonly config: AppConfig) {}

  translate(key: MessageKey, lang: Language, args?: MessageArgs): string {
    const template = CATALOGUES.get(lang)?.get(key) ?? CATALOGUES.get(this.config.defaultLanguage)?.get(key) ?? key;
    if (!args) return template;
    return template.replace(PLACEHOLDER, (placeholder, name: string) =>
      Object.hasOwn(args, name) ? String(args[name]) : placeholder,
    );
  }

  languageOf(acceptLanguage: string | string[] | undefined): Language {
    return resolveLanguage(acceptLanguage, this.config.defaultLanguage);
  }
}

@Global()
@Module({
  providers: [Translator],
  exports: [Translator],
})
export class TranslatorModule {}
