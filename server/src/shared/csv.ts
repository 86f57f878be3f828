/**
 * A CSV cell that a spreadsheet will not run as a formula: a value starting with =, +, -, @, a tab or a carriage return
 * is prefixed with an apostrophe (CSV injection). Empty for null.
 */
export const csvCell = (v: string | null | undefined): string => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));
