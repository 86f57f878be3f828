import type { z } from 'zod';

/**
 * The longest text each field of a server schema takes, for `maxLength` on its input, so that a form stops where the
 * server would refuse: `textLimits(createControlBody.shape).title` → 300. Optional, nullable and defaulted fields are
 * looked through, and a list of texts gives the limit of each item (`rootCause` → 2000 for each answer); fields
 * without a length limit are absent.
 */
export function textLimits<S extends Record<string, z.ZodType>>(shape: S): Partial<Record<keyof S, number>> {
  const limits: Partial<Record<keyof S, number>> = {};
  for (const key of Object.keys(shape) as (keyof S)[]) {
    let field: z.ZodType | undefined = shape[key];
    while (field && ('innerType' in field._zod.def || field._zod.def.type === 'array')) {
      const def = field._zod.def as { innerType?: z.ZodType; element?: z.ZodType };
      field = def.innerType ?? def.element;
    }
    const max = (field as { maxLength?: unknown } | undefined)?.maxLength;
    if (typeof max === 'number') limits[key] = max;
  }
  return limits;
}

/**
 * The smallest and largest number each field of a server schema takes, for `min` and `max` on its input:
 * `numberLimits(createCourseBody.shape).dueDays` → `{ min: 1, max: 730 }`. With the theme's `clampBehavior: 'none'`,
 * a number out of range is not clamped: the server refuses it with its message on the field.
 */
export function numberLimits<S extends Record<string, z.ZodType>>(shape: S): Partial<Record<keyof S, { min?: number; max?: number }>> {
  const limits: Partial<Record<keyof S, { min?: number; max?: number }>> = {};
  for (const key of Object.keys(shape) as (keyof S)[]) {
    let field: z.ZodType | undefined = shape[key];
    while (field && 'innerType' in field._zod.def) field = field._zod.def.innerType as z.ZodType;
    const { minValue, maxValue } = (field ?? {}) as { minValue?: unknown; maxValue?: unknown };
    const limit: { min?: number; max?: number } = {};
    // an unbounded number reports ±Infinity, an unbounded integer the safe-integer range: neither is a limit to show
    if (typeof minValue === 'number' && minValue > Number.MIN_SAFE_INTEGER) limit.min = minValue;
    if (typeof maxValue === 'number' && maxValue < Number.MAX_SAFE_INTEGER) limit.max = maxValue;
    if (limit.min !== undefined || limit.max !== undefined) limits[key] = limit;
  }
  return limits;
}
