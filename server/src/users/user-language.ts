/**
 * The languages a user can choose for Praxis (the account page). Null, the default, follows the browser's language:
 * the web client applies the browser's preferred language, and the server the request's `Accept-Language`.
 */
export const userLanguages = ['en', 'de'] as const;
export type UserLanguage = (typeof userLanguages)[number];

export const isUserLanguage = (value: unknown): value is UserLanguage => userLanguages.includes(value as UserLanguage);
