import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconPencil, IconX } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { updateSoaEntryBody } from '../../../../server/src/processes/risk-treatment/soa.schemas.ts';
import { ApiError, api } from '../../app/api.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { notifyError, Ref } from '../../app/ui.tsx';
import { applicableLabel, decisionSourceLabels, implementationColors, implementationLabels } from './soa-labels.ts';
import type { SoaEntry, UpdateSoaEntryInput } from './soa-types.ts';

const limits = textLimits(updateSoaEntryBody.shape);

type Change = Pick<UpdateSoaEntryInput, 'applicable' | 'justification'>;

const toValue = (a: boolean | null) => (a === null ? 'undecided' : a ? 'yes' : 'no');
const fromValue = (v: string) => (v === 'undecided' ? null : v === 'yes');

/**
 * One SoA entry: the applicable toggle and the justification edit in place. Each save sends the entry's version; when
 * another user changed the entry meanwhile (409), a dialog shows both and lets the user keep theirs or save over it.
 */
export function SoaEntryRow({
  entry,
  scopeId,
  soaId,
  editable,
  phone,
  onSaved,
}: {
  entry: SoaEntry;
  scopeId: string;
  soaId: string;
  editable: boolean;
  phone: boolean;
  onSaved: (e: SoaEntry) => void;
}) {
  const { t } = useTranslation('soa');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(entry.justification);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ theirs: SoaEntry; mine: Change } | null>(null);
  const r = entry.requirement;

  const save = async (change: Change, version = entry.version) => {
    setSaving(true);
    try {
      const saved = await api.patch<SoaEntry, UpdateSoaEntryInput>(`/api/scopes/${scopeId}/soa/${soaId}/entries/${entry.id}`, {
        ...change,
        version,
      });
      onSaved(saved);
      setEditing(false);
      setConflict(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current)
        setConflict({ theirs: e.details.current as SoaEntry, mine: change });
      else notifyError(e);
    } finally {
      setSaving(false);
    }
  };

  const toggle = (
    <SegmentedControl
      size="xs"
      value={toValue(entry.applicable)}
      onChange={(v) => void save({ applicable: fromValue(v) })}
      disabled={!editable || saving || r.withdrawn}
      data={[
        { value: 'yes', label: t('entry.yes') },
        { value: 'no', label: t('entry.no') },
        { value: 'undecided', label: '?' },
      ]}
      color={entry.applicable === null ? 'orange' : entry.applicable ? 'teal' : 'gray'}
      aria-label={t('entry.applicableLabel', { label: r.label })}
      data-testid="soa-applicable"
      data-value={toValue(entry.applicable)}
    />
  );
  const missingJustification = entry.applicable === false && !entry.justification.trim();
  const justification = editing ? (
    <Stack gap={6}>
      <Textarea
        value={draft}
        maxLength={limits.justification}
        onChange={(e) => setDraft(e.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={8}
        placeholder={entry.applicable === false ? t('entry.whyExcluded') : t('entry.whyIncluded')}
        data-autofocus
        aria-label={t('entry.justificationLabel', { label: r.label })}
        data-testid="soa-justification-input"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setEditing(false);
            setDraft(entry.justification);
          }
        }}
      />
      <Group gap={6}>
        <Button
          size="compact-xs"
          leftSection={<IconCheck size={12} />}
          loading={saving}
          onClick={() => void save({ justification: draft })}
          data-testid="soa-justification-save"
        >
          {t('entry.save')}
        </Button>
        <Button
          size="compact-xs"
          variant="default"
          leftSection={<IconX size={12} />}
          onClick={() => {
            setEditing(false);
            setDraft(entry.justification);
          }}
        >
          {t('common:actions.cancel')}
        </Button>
      </Group>
    </Stack>
  ) : (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Box style={{ flex: 1, minWidth: 0 }}>
        <Text
          size="sm"
          c={entry.justification ? undefined : missingJustification ? 'red.7' : 'dimmed'}
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="soa-justification"
        >
          {entry.justification || (missingJustification ? t('entry.needsJustification') : '—')}
        </Text>
        {entry.decisionSource && entry.decisionSource !== 'user' && (
          <Text size="xs" c="dimmed">
            {decisionSourceLabels[entry.decisionSource]}
          </Text>
        )}
      </Box>
      {editable && (
        <Tooltip label={t('entry.editJustification')}>
          <ActionIcon
            size="sm"
            variant="subtle"
            color="gray"
            onClick={() => {
              setDraft(entry.justification);
              setEditing(true);
            }}
            aria-label={t('entry.editJustificationOf', { label: r.label })}
            data-testid="soa-justification-edit"
          >
            <IconPencil size={14} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
  const status = (
    <Badge variant="light" color={implementationColors[entry.implementationStatus]} style={{ whiteSpace: 'nowrap' }}>
      {implementationLabels[entry.implementationStatus]}
    </Badge>
  );
  const controls =
    entry.controls.length === 0 ? (
      <Text size="sm" c="dimmed">
        —
      </Text>
    ) : (
      <Stack gap={2}>
        {entry.controls.map((c) => (
          <Anchor key={c.id} component={Link} to={`/s/${scopeId}/controls/${c.id}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Ref>{c.reference}</Ref> {c.title}
          </Anchor>
        ))}
      </Stack>
    );
  const title = (
    <Box pl={Math.max(0, r.depth - 1) * 12}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Text size="sm" ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }} td={r.withdrawn ? 'line-through' : undefined}>
          {r.label}
        </Text>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }} c={r.withdrawn ? 'dimmed' : undefined}>
          {r.title}
        </Text>
      </Group>
      {r.withdrawn && (
        <Badge size="xs" variant="light" color="gray" mt={2}>
          {t('entry.withdrawn')}
        </Badge>
      )}
    </Box>
  );

  const dialog = (
    <Modal
      opened={!!conflict}
      onClose={() => setConflict(null)}
      title={
        <Group gap="xs">
          <IconAlertTriangle size={20} color="var(--mantine-color-orange-6)" />
          <Text fw={600}>{t('entry.conflictTitle', { label: r.label })}</Text>
        </Group>
      }
      size="lg"
      centered
      data-testid="conflict-dialog"
    >
      {conflict && (
        <Stack>
          <Text size="sm">{t('entry.conflictText')}</Text>
          <Table fz="sm" withTableBorder verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th>{t('entry.now')}</Table.Th>
                <Table.Th>{t('entry.yours')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td fw={500}>{t('applicable.yes')}</Table.Td>
                <Table.Td>{applicableLabel(conflict.theirs.applicable)}</Table.Td>
                <Table.Td>
                  {conflict.mine.applicable === undefined ? t('entry.unchanged') : applicableLabel(conflict.mine.applicable)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td fw={500}>{t('page.col.justification')}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{conflict.theirs.justification || '—'}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  {conflict.mine.justification === undefined ? t('entry.unchanged') : conflict.mine.justification || '—'}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group justify="flex-end">
            <Button
              variant="default"
              data-testid="conflict-reload"
              onClick={() => {
                onSaved(conflict.theirs);
                setDraft(conflict.theirs.justification);
                setEditing(false);
                setConflict(null);
              }}
            >
              {t('entry.keepTheirs')}
            </Button>
            <Button
              color="orange"
              loading={saving}
              data-testid="conflict-overwrite"
              onClick={() => void save(conflict.mine, conflict.theirs.version)}
            >
              {t('entry.saveMine')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );

  let row: ReactNode;
  if (phone) {
    row = (
      <Box p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="soa-entry" data-label={r.label}>
        {title}
        <Group justify="space-between" mt={6} gap="xs">
          {toggle}
          {status}
        </Group>
        <Box mt={6}>{justification}</Box>
        {entry.controls.length > 0 && <Box mt={6}>{controls}</Box>}
      </Box>
    );
  } else {
    row = (
      <Table.Tr data-testid="soa-entry" data-label={r.label} bg={entry.applicable === null && !r.withdrawn ? 'orange.0' : undefined}>
        <Table.Td maw={340}>{title}</Table.Td>
        <Table.Td>{toggle}</Table.Td>
        <Table.Td miw={240}>{justification}</Table.Td>
        <Table.Td>{status}</Table.Td>
        <Table.Td maw={260}>{controls}</Table.Td>
      </Table.Tr>
    );
  }
  return (
    <>
      {row}
      {dialog}
    </>
  );
}
