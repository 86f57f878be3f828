import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Modal, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy, IconX } from '@tabler/icons-react';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.ts';
import { ApiError, errorMessage } from './api.ts';
import { protectionColors, protectionDescriptions, protectionLabels } from './labels.ts';
import type { ProtectionLevel } from './types.ts';

export { type Crumb, FullPageLoader, Logo, NoAccess, PageHeader, PageLoader } from './PageFrame.tsx';

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title ?? (notFound ? t('errors.notFound') : t('errors.couldNotLoad'))}
      data-testid="error-alert"
    >
      {errorMessage(error)}
    </Alert>
  );
}

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Stack gap="xs" p="md" data-testid="loading">
      <Skeleton h={28} />
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
        <Skeleton key={i} h={36} opacity={1 - i * 0.12} />
      ))}
    </Stack>
  );
}

export function ProtectionBadge({ level, short = false }: { level: ProtectionLevel; short?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={protectionDescriptions[level]} openDelay={400}>
      <Badge
        color={protectionColors[level]}
        variant={level === 'normal' ? 'light' : 'filled'}
        size="sm"
        style={{ flexShrink: 0 }}
        data-level={level}
      >
        {short && level === 'very_high' ? t('protectionShort.very_high') : protectionLabels[level]}
      </Badge>
    </Tooltip>
  );
}

/** A secret or link shown once, with a copy button. */
export function CopyField({ value, testId, label: labelProp }: { value: string; testId?: string; label?: string }) {
  const { t } = useTranslation();
  const label = labelProp ?? t('actions.copy');
  return (
    <Group gap={6} wrap="nowrap" align="center">
      <Code block style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', flex: 1 }} data-testid={testId}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('actions.copied') : label}>
            <ActionIcon
              variant={copied ? 'filled' : 'light'}
              color={copied ? 'teal' : undefined}
              size="lg"
              onClick={copy}
              aria-label={label}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

export function notifyError(error: unknown, title = i18n.t('errors.notSaved')) {
  notifications.show({ color: 'red', title, message: errorMessage(error), icon: <IconX size={18} />, autoClose: 8000 });
}

export function notifySuccess(message: string, title?: string) {
  notifications.show({ color: 'teal', title, message, icon: <IconCheck size={18} /> });
}

/** Puts a server validation error on the form field it names; returns false when the error is not about a field of this form. */
export function applyFieldError(
  form: { setFieldError: (path: string, error: ReactNode) => void; getValues: () => object },
  error: unknown,
  map: Record<string, string> = {},
): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const mapped = map[error.field];
  const field = mapped ?? error.formField?.split('.')[0];
  if (!field || (!mapped && !(field in form.getValues()))) return false;
  form.setFieldError(field, error.fieldMessage);
  return true;
}

interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  color?: string;
}

/** A confirmation dialog for destructive actions: `if (!(await confirm({...}))) return;` */
export function useConfirm() {
  const { t } = useTranslation();
  const [state, setState] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const confirm = (options: ConfirmOptions) =>
    new Promise<boolean>((resolve) => {
      resolver.current = resolve;
      setState(options);
    });
  const close = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setState(null);
  };
  const dialog = (
    <Modal opened={!!state} onClose={() => close(false)} title={<Text fw={600}>{state?.title}</Text>} centered data-testid="confirm-dialog">
      <Stack>
        <Text size="sm">{state?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => close(false)} data-testid="confirm-cancel">
            {t('actions.cancel')}
          </Button>
          <Button color={state?.color ?? 'red'} onClick={() => close(true)} data-testid="confirm-button">
            {state?.confirmLabel ?? t('actions.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { confirm, dialog };
}

/** Reference numbers like AST-0001 in a consistent monospace style. */
export function Ref({ children }: { children: ReactNode }) {
  return (
    <Text span ff="monospace" c="dimmed" fz="0.85em" style={{ whiteSpace: 'nowrap' }}>
      {children}
    </Text>
  );
}
