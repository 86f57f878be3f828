import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { useBlocker } from 'react-router';
import { fieldLabel } from './labels.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A stale edit (409 version_conflict): lists the fields another user changed since the form was opened, with the value
 * then, now and the user's own change, and lets the user reload their version or overwrite with the fields they changed.
 */
export function ConflictDialog<F extends string, V extends Record<F, unknown>>(props: {
  /** the record's current state from the 409 response; the dialog is open while it is set */
  conflict: { version: number } | null;
  /** 'asset', 'risk', 'control' — "Another user changed this …" */
  noun: string;
  reference: string | undefined;
  fields: readonly F[];
  /** form values when the user opened the record, the other user's values, and the form's values now */
  original: V;
  theirs: V;
  mine: V;
  isDirty: (k: F) => boolean;
  show: (k: F, v: V[F]) => string;
  onClose: () => void;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  const { t } = useTranslation();
  const { conflict, original, theirs, mine, show } = props;
  const changedByOther = conflict ? props.fields.filter((k) => !same(original[k], theirs[k])) : [];
  return (
    <Modal
      opened={!!conflict}
      onClose={props.onClose}
      title={
        <Group gap="xs">
          <IconAlertTriangle size={20} color="var(--mantine-color-orange-6)" />
          <Text fw={600}>{t('conflict.title', { noun: props.noun })}</Text>
        </Group>
      }
      size="xl"
      centered
      data-testid="conflict-dialog"
    >
      <Stack>
        <Text size="sm">
          {t('conflict.savedVersion', { version: conflict?.version, reference: props.reference })}{' '}
          {changedByOther.length > 0 ? t('conflict.fieldsChanged') : t('conflict.noFieldDiffers')}
        </Text>
        {changedByOther.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table fz="sm" withTableBorder verticalSpacing="xs" data-testid="conflict-fields">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('conflict.field')}</Table.Th>
                  <Table.Th>{t('conflict.whenOpened')}</Table.Th>
                  <Table.Th>{t('conflict.now')}</Table.Th>
                  <Table.Th>{t('conflict.yourChange')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changedByOther.map((k) => (
                  <Table.Tr key={k} data-testid="conflict-field">
                    <Table.Td fw={500}>{fieldLabel(k)}</Table.Td>
                    <Table.Td c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {show(k, original[k])}
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{show(k, theirs[k])}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {props.isDirty(k) ? (
                        <Group gap={6} wrap="nowrap">
                          <Badge color="orange" variant="light" size="sm">
                            {t('conflict.bothChanged')}
                          </Badge>
                          <Text size="sm">{show(k, mine[k])}</Text>
                        </Group>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('conflict.theirsKept')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Text size="sm" c="dimmed">
          {t('conflict.explain')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" data-testid="conflict-reload" onClick={props.onReload}>
            {t('actions.reloadTheirs')}
          </Button>
          <Button color="orange" data-testid="conflict-overwrite" onClick={props.onOverwrite}>
            {t('actions.overwriteMine')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Asks before a navigation leaves a form with unsaved changes (the blocker of react-router's useBlocker). */
export function UnsavedChangesDialog({ blocker, noun }: { blocker: ReturnType<typeof useBlocker>; noun: string }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={blocker.state === 'blocked'}
      onClose={() => blocker.reset?.()}
      title={<Text fw={600}>{t('unsaved.title')}</Text>}
      centered
      data-testid="unsaved-dialog"
    >
      <Stack>
        <Text size="sm">{t('unsaved.message', { noun })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()}>
            {t('actions.keepEditing')}
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            {t('actions.discardChanges')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
