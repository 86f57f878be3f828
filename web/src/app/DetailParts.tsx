import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from './api.ts';
import { formatDateTime } from './labels.ts';
import { ErrorAlert, PageHeader, Ref } from './ui.tsx';
import { inSentence } from '../i18n/index.ts';

/** The tab a detail page shows, kept in the URL (?tab=…); the first tab is the default and leaves the URL clean. */
export function useUrlTab(tabs: readonly string[]): [string, (tab: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const first = tabs[0] ?? '';
  const asked = params.get('tab') ?? '';
  const tab = tabs.includes(asked) ? asked : first;
  const setTab = (t: string | null) => setParams(t && t !== first ? { tab: t } : {}, { replace: true });
  return [tab, setTab];
}

/** A record's detail page that could not load it: the page title, the way back to the list, and why. */
export function RecordLoadError({ title, listLabel, listTo, error }: { title: string; listLabel: string; listTo: string; error: unknown }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={title} crumbs={[{ label: listLabel, to: listTo }]} />
      <ErrorAlert
        error={error}
        title={error instanceof ApiError && error.status === 404 ? t('errors.recordGone', { noun: inSentence(title) }) : undefined}
      />
    </>
  );
}

/** The line under a record's title: its reference, the page's own badges, and its version and last update. */
export function RecordMeta({
  reference,
  version,
  updatedAt,
  children,
}: {
  reference: string;
  version: number;
  updatedAt: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" component="span" mt={4}>
      <Ref>{reference}</Ref>
      {children}
      <Text span size="xs" c="dimmed">
        {t('record.meta', { version, updated: formatDateTime(updatedAt) })}
      </Text>
    </Group>
  );
}

/** A record's owner in its detail list: name and email, or that nobody owns it yet. */
export function OwnerValue({ owner }: { owner: { name: string; email: string } | null | undefined }) {
  const { t } = useTranslation();
  return owner ? (
    <>
      <Text size="sm">{owner.name}</Text>
      <Text size="xs" c="dimmed">
        {owner.email}
      </Text>
    </>
  ) : (
    <Text size="sm" c="dimmed">
      {t('record.noOwner')}
    </Text>
  );
}
