import { Alert, Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { ApiError } from './api.ts';
import { protectionColors, protectionLabels } from './labels.ts';
import type { Asset } from './types.ts';

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap" gap="sm">
      <Stack gap={4}>
        <Title order={2}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm" maw={720}>
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return (
    <Alert
      color="red"
      icon={<IconAlertTriangle size={18} />}
      title={error instanceof ApiError && error.status === 404 ? 'Not found' : 'Could not load'}
    >
      {message}
    </Alert>
  );
}

export function ProtectionBadge({ level }: { level: Asset['confidentiality'] }) {
  return (
    <Badge color={protectionColors[level]} variant={level === 'normal' ? 'light' : 'filled'} size="sm">
      {protectionLabels[level]}
    </Badge>
  );
}

export function notifyError(error: unknown) {
  notifications.show({ color: 'red', title: 'Not saved', message: error instanceof Error ? error.message : 'Something went wrong' });
}

export function notifySuccess(message: string) {
  notifications.show({ color: 'green', message });
}

/** A confirmation dialog for destructive actions. */
export function useConfirm() {
  const [state, setState] = useState<{ title: string; message: ReactNode; confirmLabel: string; resolve: (ok: boolean) => void } | null>(
    null,
  );
  const confirm = (title: string, message: ReactNode, confirmLabel = 'Delete') =>
    new Promise<boolean>((resolve) => setState({ title, message, confirmLabel, resolve }));
  const close = (ok: boolean) => {
    state?.resolve(ok);
    setState(null);
  };
  const dialog = (
    <Modal opened={!!state} onClose={() => close(false)} title={<Text fw={600}>{state?.title}</Text>} centered>
      <Stack>
        <Text size="sm">{state?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => close(false)}>
            Cancel
          </Button>
          <Button color="red" onClick={() => close(true)} data-testid="confirm-button">
            {state?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { confirm, dialog };
}
