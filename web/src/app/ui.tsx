import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Center,
  Code,
  CopyButton,
  EmptyState,
  Group,
  Loader,
  Modal,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconCopy, IconLock, IconX } from '@tabler/icons-react';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import i18n from '../i18n/index.ts';
import { ApiError, errorMessage } from './api.ts';
import { protectionColors, protectionDescriptions, protectionLabels } from './labels.ts';
import type { ProtectionLevel } from './types.ts';

export interface Crumb {
  label: string;
  to?: string;
}

/** The header every page starts with: breadcrumbs, title, description and the page's actions. */
export function PageHeader({
  title,
  documentTitle,
  description,
  actions,
  crumbs,
}: {
  title: ReactNode;
  /** browser tab title, when `title` is not plain text */
  documentTitle?: string;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
}) {
  const { t } = useTranslation();
  const plain = documentTitle ?? (typeof title === 'string' ? title : undefined);
  useDocumentTitle(plain ? t('app.documentTitle', { title: plain }) : t('app.name'));
  return (
    <Box mb="lg" data-testid="page-header">
      {crumbs && crumbs.length > 0 && (
        <Breadcrumbs mb={6} separatorMargin={6} fz="sm">
          {crumbs.map((c) =>
            c.to ? (
              <Anchor key={c.label} component={Link} to={c.to} size="sm" c="dimmed">
                {c.label}
              </Anchor>
            ) : (
              <Text key={c.label} size="sm" c="dimmed">
                {c.label}
              </Text>
            ),
          )}
        </Breadcrumbs>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={2} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
          {description && (
            <Text c="dimmed" size="sm" maw={760}>
              {description}
            </Text>
          )}
        </Stack>
        {actions && (
          <Group gap="sm" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
    </Box>
  );
}

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

export function Logo({ withText = true }: { withText?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" width={28} height={28} alt="" />
      {withText && (
        <Text fw={700} size="lg" c="praxis.8" style={{ letterSpacing: -0.2 }}>
          {t('app.name')}
        </Text>
      )}
    </Group>
  );
}

export function FullPageLoader() {
  return (
    <Center h="100vh" data-testid="loading">
      <Stack align="center" gap="md">
        <Logo />
        <Loader size="sm" />
      </Stack>
    </Center>
  );
}

export function PageLoader() {
  return (
    <Center h={240} data-testid="loading">
      <Loader size="md" />
    </Center>
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

/** Shown when the role in this scope does not include a page's permission. */
export function NoAccess({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" p="xl">
      <EmptyState
        icon={<IconLock size={32} />}
        withIndicatorBackground
        title={t('noAccess.title')}
        description={t('noAccess.description', { what: what ?? t('noAccess.thisPage') })}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/" variant="default">
            {t('actions.goToMyWork')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
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
