/** The catalogs by language, from the `praxis-i18n-catalogs` plugin in vite.config.ts. */
declare module 'virtual:i18n-catalogs' {
  /** every language's namespaces: `{ en: ['account', 'admin', …], de: […] }` */
  export const namespaces: Record<string, string[]>;
  /** all of a language's catalogs, by namespace (one chunk) */
  export function load(lang: string): Promise<{ default: Record<string, Record<string, unknown>> }>;
}
