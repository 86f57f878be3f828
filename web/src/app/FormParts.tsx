import { Button, Group, NumberInput, type NumberInputProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { PageHeader } from './PageFrame.tsx';

// the schema limits live apart, so that the sign-in and set-up pages take them without the form parts' inputs
export { numberLimits, textLimits } from './form-limits.ts';

/** The decimal and grouping separators of a language (`de` → `,` and `.`; `en` → `.` and `,`). */
export function numberSeparators(language: string): { decimalSeparator: string; thousandSeparator: string } {
  const parts = new Intl.NumberFormat(language).formatToParts(12345.6);
  return {
    decimalSeparator: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    thousandSeparator: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

/**
 * Every number input of the forms: a Mantine NumberInput that reads and shows numbers the way the active language
 * writes them (`1.234,5` in a German session), with the separators of `numberSeparators`. Thousands are grouped only
 * where a form asks for it (`thousandGrouping`), so that a year or a count is not shown as `2.026`.
 */
export function NumberField({ thousandGrouping, ...props }: NumberInputProps & { thousandGrouping?: boolean }) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language ?? 'en';
  const separators = useMemo(() => numberSeparators(language), [language]);
  return (
    <NumberInput
      decimalSeparator={separators.decimalSeparator}
      {...(thousandGrouping && { thousandSeparator: separators.thousandSeparator })}
      {...props}
    />
  );
}

/**
 * Today as `YYYY-MM-DD`, counted as the server counts days (UTC): the latest day of date inputs for days that cannot
 * lie ahead (a day of implementation), and the earliest due date of a new record.
 */
export const todayDay = (): string => new Date().toISOString().slice(0, 10);

/** The earliest due date of a record: the day it was created (today for a new one), as the server checks it. */
export const earliestDueDay = (createdAt: string | undefined): string => (createdAt ?? new Date().toISOString()).slice(0, 10);

/**
 * Stops a navigation away from a form with unsaved changes (shown with UnsavedChangesDialog). Set `leaving.current`
 * before navigating after a successful save.
 */
export function useLeaveGuard(dirty: boolean) {
  const leaving = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  return { blocker, leaving };
}

/** The header of a record's create/edit page: the way back to the list (and the record), and its version while editing. */
export function FormHeader({
  title,
  listLabel,
  listTo,
  record,
  newDescription,
}: {
  title: string;
  listLabel: string;
  listTo: string;
  /** the record being edited; undefined for a new one */
  record: { id: string; reference: string; version: number } | undefined;
  newDescription: string;
}) {
  const { t } = useTranslation();
  return (
    <PageHeader
      title={title}
      crumbs={[
        { label: listLabel, to: listTo },
        ...(record ? [{ label: record.reference, to: `${listTo}/${record.id}` }] : []),
        { label: record ? t('form.edit') : t('form.new') },
      ]}
      description={record ? t('form.versionLine', { reference: record.reference, version: record.version }) : newDescription}
    />
  );
}

/** Cancel and save under a form. */
export function FormActions({
  onCancel,
  saving,
  'data-testid': testId,
  children,
}: {
  onCancel: () => void;
  saving: boolean;
  'data-testid': string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('actions.cancel')}
      </Button>
      <Button type="submit" loading={saving} data-testid={testId}>
        {children}
      </Button>
    </Group>
  );
}
