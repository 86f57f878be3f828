/**
 * The SoA's codes, in a module of their own without imports: the schemas (which the web client's forms read their limits
 * from) take them from here, not from soa.rules.ts, whose messages reach the server's catalogs.
 */
export const implementationStatuses = ['not_started', 'planned', 'in_progress', 'implemented', 'verified', 'not_applicable'] as const;
export type ImplementationStatus = (typeof implementationStatuses)[number];

export const decisionSources = ['treatment', 'control', 'catalog', 'user'] as const;
export type DecisionSource = (typeof decisionSources)[number];
