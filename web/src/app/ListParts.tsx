import {
  Anchor,
  Button,
  Card,
  CloseButton,
  EmptyState,
  type EmptyStateProps,
  Group,
  type MantineSize,
  type MantineSpacing,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  type TextInputProps,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconDownload, IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { searchQuery } from '../../../server/src/shared/schemas.ts';
import i18n from '../i18n/index.ts';
import { textLimits } from './FormParts.tsx';
import { ErrorAlert, Ref } from './ui.tsx';

/** a search stops at the length every list's `q` takes */
const searchLimit = textLimits({ q: searchQuery }).q;

/** Page sizes a list offers; 25 is the default and stays out of the URL. */
export const pageSizes = ['25', '50', '100'];
export const pageSizeOf = (value: string | null) => (pageSizes.includes(value ?? '') ? Number(value) : 25);

/** What a list counts; `common:count.<noun>` holds its plural forms. */
export type CountNoun = 'asset' | 'risk' | 'control' | 'document' | 'item' | 'record';

/**
 * "12 assets", "3 risks match": the number of rows a list shows, blank while loading. A count the server stopped at its
 * cap (`totalCapped`) reads "1,000+ risks": the total is then a lower bound, not the number of rows.
 */
export const countText = (loaded: boolean, total: number, noun: CountNoun, filtered: boolean, capped = false) => {
  if (!loaded) return ' ';
  const key = `${noun}${filtered ? 'Match' : ''}` as const;
  return capped ? i18n.t(`countCapped.${key}`, { total }) : i18n.t(`count.${key}`, { count: total });
};

/** What a list knows of its length, from its page: the rows on this page, and whether the total is a capped count. */
interface Extent {
  /** the page the server answered (`totalCapped`: it stopped counting at `total`, there are more rows than that) */
  of?: { totalCapped?: boolean | undefined; items: readonly unknown[] } | undefined;
}

/** Whether there is a page after `page`: known from the total, or past a capped total, from a full page. */
function hasNextPage(total: number, page: number, pageSize: number, { of }: Extent): boolean {
  if (page * pageSize < total) return true;
  return !!of?.totalCapped && of.items.length === pageSize;
}

/**
 * Page numbers. With an exact total: every page, the last one included. With a capped total there is no known last
 * page, so it offers the pages up to this one and the next (while there is one), never a jump to a page computed from
 * the cap.
 */
function Pages({
  total,
  page,
  pageSize,
  onPage,
  size,
  ...extent
}: Extent & {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  size: MantineSize;
}) {
  if (!extent.of?.totalCapped) return <Pagination total={Math.ceil(total / pageSize)} value={page} onChange={onPage} size={size} />;
  const next = hasNextPage(total, page, pageSize, extent);
  return (
    <Pagination.Root total={next ? page + 1 : page} value={page} onChange={onPage} size={size} data-testid="capped-pager">
      <Group gap={5} justify="center">
        <Pagination.Previous />
        <Pagination.Items />
        <Pagination.Next />
      </Group>
    </Pagination.Root>
  );
}

/** The row under a list's filters: how many rows match, and "Clear filters" while a filter is set. */
export function ListCount({
  children,
  filtered,
  onClear,
  gap = 'xs',
  'data-testid': testId,
}: {
  children: ReactNode;
  filtered: boolean;
  onClear: () => void;
  gap?: MantineSpacing;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap={gap} mih={24}>
      <Text size="sm" c="dimmed" data-testid={testId}>
        {children}
      </Text>
      {filtered && (
        <Button variant="subtle" size="compact-sm" onClick={onClear}>
          {t('actions.clearFilters')}
        </Button>
      )}
    </Group>
  );
}

/** A list's empty state: with filters set it offers to clear them, otherwise the page's own actions (if any). */
export function ListEmpty({
  filtered,
  onClear,
  actions,
  ...props
}: Omit<EmptyStateProps, 'children'> & { filtered: boolean; onClear: () => void; actions?: ReactNode; 'data-testid'?: string }) {
  const { t } = useTranslation();
  return (
    <EmptyState {...props}>
      {(filtered || actions !== undefined) && (
        <EmptyState.Actions>
          {filtered ? (
            <Button variant="default" onClick={onClear}>
              {t('actions.clearFilters')}
            </Button>
          ) : (
            actions
          )}
        </EmptyState.Actions>
      )}
    </EmptyState>
  );
}

/** The footer of a list with a page-size choice: "1–25 of N", the pages, and "Per page". Nothing when the list is empty. */
export function ListFooter({
  total,
  page,
  pageSize,
  onPage,
  onPageSize,
  perPageLabel,
  ...extent
}: Extent & {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** the chosen size, null for the default */
  onPageSize: (size: string | null) => void;
  /** accessible name of the size select, e.g. "Assets per page" */
  perPageLabel: string;
}) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const capped = !!extent.of?.totalCapped;
  const to = capped ? from - 1 + (extent.of?.items.length ?? pageSize) : Math.min(page * pageSize, total);
  return (
    <Group justify="space-between" p="md" wrap="wrap" gap="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" c="dimmed" data-testid="list-range" title={capped ? t('list.cappedHint', { total }) : undefined}>
        {t(capped ? 'list.rangeCapped' : 'list.range', { from, to, total })}
      </Text>
      {(total > pageSize || capped) && <Pages total={total} page={page} pageSize={pageSize} onPage={onPage} size="sm" {...extent} />}
      <Group gap={6}>
        <Text size="sm" c="dimmed">
          {t('list.perPage')}
        </Text>
        <Select
          size="xs"
          w={76}
          data={pageSizes}
          value={String(pageSize)}
          allowDeselect={false}
          onChange={(v) => onPageSize(v === '25' ? null : v)}
          aria-label={perPageLabel}
        />
      </Group>
    </Group>
  );
}

/** Centred page numbers under a list of fixed page size; nothing when everything fits on one page. */
export function ListPager({
  total,
  page,
  pageSize,
  onPage,
  bordered = false,
  tight = false,
  size = 'sm',
  ...extent
}: Extent & {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** a line above, when the list above has none of its own */
  bordered?: boolean;
  /** a small gap above instead of padding all round, under a list inside a card */
  tight?: boolean;
  size?: MantineSize;
}) {
  if (total <= pageSize && !extent.of?.totalCapped) return null;
  return (
    <Group
      justify="center"
      {...(tight ? { mt: 'sm' } : { p: 'md' })}
      style={bordered ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}
    >
      <Pages total={total} page={page} pageSize={pageSize} onPage={onPage} size={size} {...extent} />
    </Group>
  );
}

/** A list's search box: a magnifier, and a button that empties it while it holds text. */
export function SearchInput({
  value,
  onChange,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (value: string) => void; 'data-testid'?: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      maxLength={searchLimit}
      leftSection={<IconSearch size={16} />}
      rightSection={value ? <CloseButton size="sm" aria-label={t('actions.clearSearch')} onClick={() => onChange('')} /> : null}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      {...props}
    />
  );
}

/** Downloads the list as CSV, with the filters it shows. */
export function ExportCsvButton({ href }: { href: string }) {
  const { t } = useTranslation();
  return (
    <Button variant="default" leftSection={<IconDownload size={16} />} component="a" href={href} download data-testid="export-csv">
      {t('actions.exportCsv')}
    </Button>
  );
}

/** Why a list could not be loaded, in place of its rows. */
export function ListError({ error }: { error: unknown }) {
  return (
    <Stack p="md">
      <ErrorAlert error={error} />
    </Stack>
  );
}

/** A column header that sorts the list: the arrow shows the direction of the active column. */
export function SortableTh({
  sortKey,
  label,
  active,
  dir,
  onSort,
  title,
}: {
  sortKey: string;
  label: string;
  active: boolean;
  dir: 'asc' | 'desc';
  onSort: () => void;
  title?: string;
}) {
  return (
    <Table.Th aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={onSort} data-testid={`sort-${sortKey}`} title={title}>
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm" c={active ? 'praxis.8' : 'gray.7'}>
            {label}
          </Text>
          {active ? (
            dir === 'asc' ? (
              <IconArrowUp size={14} />
            ) : (
              <IconArrowDown size={14} />
            )
          ) : (
            <IconArrowsSort size={13} color="var(--mantine-color-gray-5)" />
          )}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** A list row on a phone: a card that opens the record, with its reference, title, a badge and the page's details. */
export function PhoneRow({
  to,
  reference,
  title,
  badge,
  'data-testid': testId,
  children,
}: {
  to: string;
  reference: string;
  title: string;
  badge: ReactNode;
  'data-testid': string;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <Card withBorder radius="md" p="sm" className="row-link" onClick={() => navigate(to)} data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Ref>{reference}</Ref>
          <Anchor component={Link} to={to} fw={600} size="sm" display="block" onClick={(e) => e.stopPropagation()}>
            {title}
          </Anchor>
        </div>
        {badge}
      </Group>
      {children}
    </Card>
  );
}
