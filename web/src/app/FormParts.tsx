import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { PageHeader } from './ui.tsx';

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
