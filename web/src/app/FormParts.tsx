import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import type { z } from 'zod';
import { PageHeader } from './ui.tsx';

/**
 * The longest text each field of a server schema takes, for `maxLength` on its input, so that a form stops where the
 * server would refuse: `textLimits(createControlBody.shape).title` → 300. Optional, nullable and defaulted fields are
 * looked through; fields without a length limit are absent.
 */
export function textLimits<S extends Record<string, z.ZodType>>(shape: S): Partial<Record<keyof S, number>> {
  const limits: Partial<Record<keyof S, number>> = {};
  for (const key of Object.keys(shape) as (keyof S)[]) {
    let field: z.ZodType | undefined = shape[key];
    while (field && 'innerType' in field._zod.def) field = field._zod.def.innerType as z.ZodType;
    const max = (field as { maxLength?: unknown } | undefined)?.maxLength;
    if (typeof max === 'number') limits[key] = max;
  }
  return limits;
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
