import { type ComposedText, english } from './i18n/i18n.ts';

/**
 * A value of the environment (or a file it names) that Praxis cannot start with. Its message is the English rendering
 * of its text (the server's start log); `praxis` words the text in the command's language (`cli/cli-language.ts`).
 * In a module of its own, so that what config.ts reads the environment with (file storage, single sign-on) throws it too.
 */
export class ConfigError extends Error {
  /** the problem as a text of the `errors:config` catalog */
  readonly text: ComposedText;
  constructor(text: ComposedText) {
    super(english(text));
    this.name = 'ConfigError';
    this.text = text;
  }
}

/** A text of the `errors:config` catalog: `configText('port', { value })`. */
export const configText = (key: string, params: Record<string, string> = {}): ComposedText => ({ key: `errors:config.${key}`, params });
