import { Injectable, Module, Global } from '@nestjs/common';
import { AcceptLanguageResolver, I18nLoader, I18nModule, I18nService, type I18nTranslation } from 'nestjs-i18n';
import { AppConfig } from '../config/app-config';
import { SUPPORTED_LANGUAGES, type Language, resolveLanguage } from './languages';
import { MESSAGES, type MessageKey } from './messages';

/** Serves the compiled-in message tables to nestjs-i18n; no files to copy or find at run time. */
export class StaticMessagesLoader extends I18nLoader {
  languages(): Promise<string[]> {
    return Promise.resolve([...SUPPORTED_LANGUAGES]);
  }

  load(): Promise<I18nTranslation> {
    return Promise.resolve(MESSAGES as unknown as I18nTranslation);
  }
}

export type MessageArgs = Readonly<Record<string, string | number>>;

/** Typed front of nestjs-i18n: the key is checked at compile time and the language resolved from a header. */
@Injectable()
export class Translator {
  constructor(
    private readonly i18n: I18nService,
    private readonly config: AppConfig,
  ) {}

  translate(key: MessageKey, lang: Language, args?: MessageArgs): string {
    return this.i18n.translate(key, { lang, args });
  }

  languageOf(acceptLanguage: string | string[] | undefined): Language {
    return resolveLanguage(acceptLanguage, this.config.defaultLanguage);
  }
}

@Global()
@Module({
  imports: [
    I18nModule.forRootAsync({
      useFactory: (config: AppConfig) => ({
        fallbackLanguage: config.defaultLanguage,
        loaderOptions: {},
        logging: false,
        disableMiddleware: true,
        // Nothing reads nestjs-i18n's request context (the language is passed to every translate call): no
        // AsyncLocalStorage run per request for it.
        skipAsyncHook: true,
      }),
      inject: [AppConfig],
      loader: StaticMessagesLoader,
      // Requests are resolved by `languageOf` (it knows the storefront's `undefined`); this only quiets a boot warning.
      resolvers: [{ use: AcceptLanguageResolver, options: { matchType: 'strict-loose' } }],
    }),
  ],
  providers: [Translator],
  exports: [Translator],
})
export class TranslatorModule {}
