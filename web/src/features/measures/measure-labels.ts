import i18n from '../../i18n/index.ts';
import type { Direction, Frequency, LinkType, MeasurementStatus, SourceKind } from './measure-types.ts';

/** Words for the codes of performance evaluation, from the measures catalog (read when called: the language may change). */
const label = (key: string) => i18n.t(key, { ns: 'measures' });

export const statusLabel = (s: MeasurementStatus) => label(`status.${s}`);
export const statusColors: Record<MeasurementStatus, string> = { on_target: 'teal', warning: 'yellow', breach: 'red' };
export const sourceLabel = (s: SourceKind) => label(`source.${s}`);
export const frequencyLabel = (f: Frequency) => label(`frequency.${f}`);
export const directionLabel = (d: Direction) => label(`direction.${d}`);
export const linkTypeLabel = (l: LinkType) => label(`linkType.${l}`);
export const measurementStatuses: MeasurementStatus[] = ['on_target', 'warning', 'breach'];
export const sourceKinds: SourceKind[] = ['live', 'manual', 'api'];
export const frequencies: Frequency[] = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly'];

/** A value with its unit: "92.5 %", "18 h", "3 risks". */
export function valueWithUnit(value: number, unit: string): string {
  const n = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(value);
  return unit ? `${n} ${unit}` : n;
}
