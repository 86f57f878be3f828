import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Card,
  ColorInput,
  Group,
  Menu,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api.ts';
import { formatDateTime } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, notifySuccess, PageHeader, PageLoader } from '../../app/ui.tsx';
import { RiskNav, useRiskMethod } from './RiskBits.tsx';
import { acceptedByLabels, type RiskMethod, type RiskMethodVersions, textOn, type UpdateRiskMethodInput } from './risk-types.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { riskMethodFields } from '../../../../server/src/processes/risk-assessment/risk-method.ts';

const scaleLimits = textLimits(riskMethodFields.likelihood.element.shape);
const levelLimits = textLimits(riskMethodFields.levels.element.shape);

type Draft = Pick<RiskMethod, 'likelihood' | 'impact' | 'levels' | 'matrix' | 'acceptance'>;
const toDraft = (m: RiskMethod): Draft =>
  structuredClone({ likelihood: m.likelihood, impact: m.impact, levels: m.levels, matrix: m.matrix, acceptance: m.acceptance });

/** The scope's risk method: scales, matrix, levels with colours and acceptance criteria (ISO 27001 6.1.2 a–b). */
export function RiskMethodPage() {
  const { t } = useTranslation('risks');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const method = useRiskMethod(scopeId);
  const versions = useQuery({
    queryKey: ['risk-method-versions', scopeId],
    queryFn: () => api.get<RiskMethodVersions>(`/api/scopes/${scopeId}/risk-method/versions`),
  });
  const [draft, setDraft] = useState<Draft | null>(null);

  return (
    <>
      <PageHeader
        title={t('method.title')}
        description={t('method.description')}
        actions={
          can('risk-method:manage') &&
          method.data &&
          !draft && (
            <Button leftSection={<IconEdit size={16} />} onClick={() => setDraft(toDraft(method.data))} data-testid="edit-method">
              {t('method.edit')}
            </Button>
          )
        }
      />
      <RiskNav scopeId={scopeId} />
      {method.isPending ? (
        <PageLoader />
      ) : method.error ? (
        <ErrorAlert error={method.error} />
      ) : draft ? (
        <MethodEditor method={method.data} draft={draft} setDraft={setDraft} />
      ) : (
        <MethodView method={method.data} />
      )}
      {versions.data && versions.data.items.length > 0 && (
        <Card withBorder radius="md" p="lg" mt="md">
          <Title order={5} mb="sm">
            {t('method.versions')}
          </Title>
          <Table.ScrollContainer minWidth={420}>
            <Table fz="sm" data-testid="method-versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('method.col.version')}</Table.Th>
                  <Table.Th>{t('method.col.saved')}</Table.Th>
                  <Table.Th>{t('method.col.by')}</Table.Th>
                  <Table.Th>{t('method.col.risks')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.data.items.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>
                      {v.version}{' '}
                      {v.current && (
                        <Badge size="xs" variant="light">
                          {t('method.current')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
                    <Table.Td>{v.createdBy?.name ?? t('method.default')}</Table.Td>
                    <Table.Td>{v.riskCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </>
  );
}

function MethodView({ method: m }: { method: RiskMethod }) {
  const { t } = useTranslation('risks');
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {m.createdBy
          ? t('method.savedBy', { version: m.version, date: formatDateTime(m.createdAt), name: m.createdBy.name })
          : t('method.saved', { version: m.version, date: formatDateTime(m.createdAt) })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ScaleCard axis="likelihood" title={t('score.likelihood')} scale={m.likelihood} />
        <ScaleCard axis="impact" title={t('score.impact')} scale={m.impact} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xl: 2 }}>
        <Card withBorder radius="md" p="lg">
          <Title order={5} mb="sm">
            {t('method.matrix')}
          </Title>
          <Matrix draft={m} />
        </Card>
        <Card withBorder radius="md" p="lg" data-testid="method-acceptance">
          <Title order={5} mb="sm">
            {t('method.levelsAndAcceptance')}
          </Title>
          <Stack gap="xs">
            {[...m.levels]
              .sort((a, b) => b.order - a.order)
              .map((l) => {
                const by = m.acceptance.find((a) => a.level === l.key)?.acceptedBy;
                return (
                  <Group key={l.key} justify="space-between" wrap="nowrap">
                    <Badge style={{ background: l.colour, color: textOn(l.colour) }}>{l.label}</Badge>
                    <Text size="sm" c={by ? undefined : 'red.8'} ta="right">
                      {by ? t('method.mayAccept', { who: acceptedByLabels[by] }) : t('method.mustBeTreated')}
                    </Text>
                  </Group>
                );
              })}
          </Stack>
          <Text size="xs" c="dimmed" mt="sm">
            {t('method.aboveCriteria')}
          </Text>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function ScaleCard({ axis, title, scale }: { axis: 'likelihood' | 'impact'; title: string; scale: RiskMethod['likelihood'] }) {
  return (
    <Card withBorder radius="md" p="lg" data-testid={`method-${axis}`}>
      <Title order={5} mb="sm">
        {title}
      </Title>
      <Stack gap={6}>
        {scale.map((l) => (
          <Group key={l.value} gap="sm" wrap="nowrap" align="flex-start">
            <Badge variant="light" circle>
              {l.value}
            </Badge>
            <div>
              <Text size="sm" fw={500}>
                {l.label}
              </Text>
              <Text size="xs" c="dimmed">
                {l.description}
              </Text>
            </div>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

/** The matrix, likelihood upwards and impact to the right; with onCell each cell is a menu to choose its level. */
function Matrix({ draft, onCell }: { draft: Draft; onCell?: (l: number, i: number, key: string) => void }) {
  const { t } = useTranslation('risks');
  const rows = [...draft.likelihood].reverse();
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table withTableBorder withColumnBorders fz="xs" w="auto" data-testid="method-matrix">
        <Table.Tbody>
          {rows.map((l) => (
            <Table.Tr key={l.value}>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>
                {l.value} · {l.label}
              </Table.Th>
              {draft.impact.map((im) => {
                const key = draft.matrix[l.value - 1]?.[im.value - 1] ?? '';
                const level = draft.levels.find((x) => x.key === key);
                const colour = level?.colour ?? '#dee2e6';
                const cell = (
                  <Box
                    px={6}
                    py={8}
                    miw={64}
                    ta="center"
                    style={{ background: colour, color: textOn(colour), borderRadius: 4, fontWeight: 600 }}
                    data-testid="method-cell"
                    data-likelihood={l.value}
                    data-impact={im.value}
                    data-level={key}
                  >
                    {level?.label ?? '?'}
                  </Box>
                );
                return (
                  <Table.Td key={im.value} p={3}>
                    {onCell ? (
                      <Menu position="bottom" withinPortal>
                        <Menu.Target>
                          <UnstyledButton w="100%" aria-label={t('method.cellLabel', { likelihood: l.value, impact: im.value })}>
                            {cell}
                          </UnstyledButton>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {draft.levels.map((x) => (
                            <Menu.Item
                              key={x.key}
                              onClick={() => onCell(l.value, im.value, x.key)}
                              leftSection={<Box w={12} h={12} style={{ background: x.colour, borderRadius: 3 }} />}
                            >
                              {x.label}
                            </Menu.Item>
                          ))}
                        </Menu.Dropdown>
                      </Menu>
                    ) : (
                      cell
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>{t('method.axes')}</Table.Th>
            {draft.impact.map((im) => (
              <Table.Th key={im.value} ta="center" style={{ whiteSpace: 'nowrap' }}>
                {im.value} · {im.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function MethodEditor({ method, draft: d, setDraft }: { method: RiskMethod; draft: Draft; setDraft: (d: Draft | null) => void }) {
  const { t } = useTranslation('risks');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<RiskMethod | null>(null);
  const update = (f: (x: Draft) => void) => {
    const next = structuredClone(d);
    f(next);
    setDraft(next);
  };

  const scaleEditor = (axis: 'likelihood' | 'impact', title: string) => (
    <Card withBorder radius="md" p="lg" data-testid={`edit-${axis}`}>
      <Title order={5} mb="sm">
        {title}
      </Title>
      <Stack gap="xs">
        {d[axis].map((l, idx) => (
          <Group key={l.value} gap="xs" wrap="nowrap" align="flex-start">
            <Badge variant="light" circle mt={8}>
              {l.value}
            </Badge>
            <Stack gap={4} style={{ flex: 1 }}>
              <TextInput
                size="xs"
                aria-label={t('method.scaleLabel', { title, value: l.value })}
                maxLength={scaleLimits.label}
                value={l.label}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((x) => {
                    x[axis][idx]!.label = v;
                  });
                }}
              />
              <TextInput
                size="xs"
                placeholder={t('method.whatItMeans')}
                aria-label={t('method.scaleDescription', { title, value: l.value })}
                maxLength={scaleLimits.description}
                value={l.description}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((x) => {
                    x[axis][idx]!.description = v;
                  });
                }}
              />
            </Stack>
          </Group>
        ))}
        <Group gap="xs">
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={12} />}
            disabled={d[axis].length >= 5}
            onClick={() =>
              update((x) => {
                x[axis].push({ value: x[axis].length + 1, label: t('method.newLevel'), description: '' });
                // the new level copies the most severe row or column, so the matrix stays consistent
                if (axis === 'likelihood') x.matrix.push([...(x.matrix[x.matrix.length - 1] ?? [])]);
                else for (const row of x.matrix) row.push(row[row.length - 1] ?? x.levels[0]!.key);
              })
            }
          >
            {t('method.addLevel')}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={12} />}
            disabled={d[axis].length <= 3}
            onClick={() =>
              update((x) => {
                x[axis].pop();
                if (axis === 'likelihood') x.matrix.pop();
                else for (const row of x.matrix) row.pop();
              })
            }
          >
            {t('method.removeHighest')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );

  const save = async (version = method.version) => {
    setBusy(true);
    setError(null);
    try {
      const body: UpdateRiskMethodInput = { version, ...d, levels: d.levels.map((l, i) => ({ ...l, order: i + 1 })) };
      const saved = await api.put<RiskMethod, UpdateRiskMethodInput>(`/api/scopes/${scope.id}/risk-method`, body);
      qc.setQueryData(['risk-method', scope.id], saved);
      for (const k of ['risk-method-versions', 'risks', 'risk', 'risk-heatmap', 'audit'])
        void qc.invalidateQueries({ queryKey: [k, scope.id] });
      notifySuccess(t('method.savedNotice', { version: saved.version }), t('method.savedTitle'));
      setDraft(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') setConflict((e.details?.current as RiskMethod | undefined) ?? method);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack data-testid="method-form">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {scaleEditor('likelihood', t('score.likelihood'))}
        {scaleEditor('impact', t('score.impact'))}
      </SimpleGrid>
      <Card withBorder radius="md" p="lg" data-testid="edit-levels">
        <Title order={5}>{t('method.levelsTitle')}</Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('method.leastSevereFirst')}
        </Text>
        <Stack gap="xs">
          {d.levels.map((l, idx) => (
            <Group key={l.key} gap="xs" wrap="wrap" align="flex-end">
              <TextInput
                size="xs"
                label={idx === 0 ? t('method.label') : undefined}
                w={140}
                value={l.label}
                maxLength={levelLimits.label}
                aria-label={t('method.levelLabel', { key: l.key })}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((x) => {
                    x.levels[idx]!.label = v;
                  });
                }}
              />
              <ColorInput
                size="xs"
                label={idx === 0 ? t('method.colour') : undefined}
                w={130}
                format="hex"
                value={l.colour}
                aria-label={t('method.levelColour', { key: l.key })}
                onChange={(v) =>
                  update((x) => {
                    x.levels[idx]!.colour = v;
                  })
                }
              />
              <SelectAcceptance
                label={idx === 0 ? t('method.whoMayAccept') : undefined}
                value={d.acceptance.find((a) => a.level === l.key)?.acceptedBy ?? ''}
                onChange={(v) =>
                  update((x) => {
                    x.acceptance = x.acceptance.filter((a) => a.level !== l.key);
                    if (v) x.acceptance.push({ level: l.key, acceptedBy: v as 'risk_owner' | 'management' });
                  })
                }
                testId={`acceptance-${l.key}`}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mb={2}
                aria-label={t('method.removeLevel', { label: l.label })}
                disabled={d.levels.length <= 2 || d.matrix.some((row) => row.includes(l.key))}
                title={d.matrix.some((row) => row.includes(l.key)) ? t('method.levelInUse') : t('method.removeLevelShort')}
                onClick={() =>
                  update((x) => {
                    x.levels.splice(idx, 1);
                    x.acceptance = x.acceptance.filter((a) => a.level !== l.key);
                  })
                }
              >
                <IconTrash size={14} />
              </ActionIcon>
            </Group>
          ))}
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={12} />}
            style={{ alignSelf: 'flex-start' }}
            disabled={d.levels.length >= 5}
            onClick={() =>
              update((x) => {
                let n = x.levels.length + 1;
                while (x.levels.some((l) => l.key === `level_${n}`)) n++;
                x.levels.push({ key: `level_${n}`, label: t('method.levelN', { n }), colour: '#862e9c', order: x.levels.length + 1 });
              })
            }
          >
            {t('method.addSevere')}
          </Button>
        </Stack>
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={5}>{t('method.matrix')}</Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('method.clickCell')}
        </Text>
        <Matrix
          draft={d}
          onCell={(l, i, key) =>
            update((x) => {
              x.matrix[l - 1]![i - 1] = key;
            })
          }
        />
      </Card>
      <ErrorAlert error={error} title={t('common:errors.notSaved')} />
      {conflict && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('method.conflictTitle')}>
          <Text size="sm" mb="xs">
            {t('method.conflictText', { version: conflict.version })}
          </Text>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                qc.setQueryData(['risk-method', scope.id], conflict);
                setDraft(toDraft(conflict));
                setConflict(null);
              }}
            >
              {t('common:actions.reloadTheirs')}
            </Button>
            <Button
              size="xs"
              color="orange"
              onClick={() => {
                const v = conflict.version;
                setConflict(null);
                void save(v);
              }}
            >
              {t('method.saveMine')}
            </Button>
          </Group>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={() => setDraft(null)}>
          {t('common:actions.cancel')}
        </Button>
        <Button loading={busy} onClick={() => save()} data-testid="save-method">
          {t('method.saveAs', { version: method.version + 1 })}
        </Button>
      </Group>
    </Stack>
  );
}

function SelectAcceptance({
  label,
  value,
  onChange,
  testId,
}: {
  label?: string;
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  const { t } = useTranslation('risks');
  return (
    <NativeSelect
      size="xs"
      w={220}
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[
        { value: 'risk_owner', label: acceptedByLabels.risk_owner },
        { value: 'management', label: acceptedByLabels.management },
        { value: '', label: t('method.nobody') },
      ]}
      aria-label={t('method.whoMayAcceptLevel')}
      data-testid={testId}
    />
  );
}
